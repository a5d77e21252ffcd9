package io.vippanel.automation;

import io.vippanel.automation.internal.SshCommand;
import io.vippanel.platform.VipProperties;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs one shell command on a managed server over SSH, for checks and small actions that need no playbook
 * (is nginx running, what does {@code nginx -t} say). Same rules as playbooks: the key stays in memory, only the
 * pinned host keys are trusted, output streams to the listener, and the command is bounded by a timeout and can be
 * cancelled. {@link #run} blocks; call it from a background job.
 */
@Component
public class SshCommandRunner {

    private final Duration connectTimeout;

    @Autowired
    public SshCommandRunner(VipProperties properties) {
        this(properties.automation().connectTimeout());
    }

    public SshCommandRunner(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * @param credential the panel's key, or a password for the one login that installs that key
     * @param command a command line for the login user's shell on the server; quote any value in it yourself
     * @return the outcome, exit status and output; problems on the way (unreachable, key refused) are outcomes,
     *         not exceptions
     */
    public CommandResult run(ManagedHost host, SshCredential credential, String command, Duration timeout, RunListener listener) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A command's timeout must be positive: " + timeout);
        }
        return new SshCommand(host, credential, command, timeout, connectTimeout, listener).execute();
    }
}
