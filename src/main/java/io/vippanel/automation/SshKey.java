package io.vippanel.automation;

import io.vippanel.automation.internal.OpenSshKeys;

/**
 * A decrypted SSH private key held in memory only for as long as a run needs it.
 *
 * <p>It exists so that the key cannot leak by accident: {@link #toString()} never shows it, and the only way to
 * read it back is the explicitly named {@link #openSshPem()}, which the runners use to hand it to ssh (a 0600 file
 * inside the run's private folder, or sshj in memory). {@link #of} parses the key up front so that a wrong or
 * passphrase-protected key fails where it is loaded, not halfway through a job.
 */
public final class SshKey implements SshCredential {

    private final String openSshPem;

    private SshKey(String openSshPem) {
        this.openSshPem = openSshPem;
    }

    /**
     * @param openSshPem an unencrypted private key in OpenSSH or PEM format
     * @throws IllegalArgumentException if it is not such a key (the message never contains the key)
     */
    public static SshKey of(String openSshPem) {
        if (openSshPem == null || openSshPem.isBlank()) {
            throw new IllegalArgumentException("The SSH private key is empty.");
        }
        String normalised = openSshPem.strip().replace("\r\n", "\n") + "\n";
        OpenSshKeys.requireUnencryptedPrivateKey(normalised);
        return new SshKey(normalised);
    }

    /** The key text, for the runners only; never log it or store it unencrypted. */
    public String openSshPem() {
        return openSshPem;
    }

    @Override
    public String toString() {
        return "SshKey[********]";
    }
}
