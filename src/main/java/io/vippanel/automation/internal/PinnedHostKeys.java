package io.vippanel.automation.internal;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.jspecify.annotations.Nullable;

/**
 * Checks a server's host key against the pinned known_hosts lines only, and remembers why it refused one.
 *
 * <p>sshj's own known_hosts support would add a new key to a file or ask the user; here both a changed and an
 * unknown key are refused, and the reason is kept so the runner can tell "the key changed" (possibly an attack,
 * or a rebuilt server) from "nothing is pinned for this address".
 */
public final class PinnedHostKeys extends OpenSSHKnownHosts {

    private volatile @Nullable HostKeyProblem refusal;

    public PinnedHostKeys(String knownHosts) throws IOException {
        super(new StringReader(knownHosts));
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        refusal = HostKeyProblem.CHANGED;
        return false;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        refusal = HostKeyProblem.NOT_PINNED;
        return false;
    }

    /** Why the last key was refused, or {@code null} if none was. */
    public @Nullable HostKeyProblem refusal() {
        return refusal;
    }
}
