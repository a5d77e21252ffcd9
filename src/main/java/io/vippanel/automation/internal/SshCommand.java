package io.vippanel.automation.internal;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.LogLevel;
import io.vippanel.automation.ManagedHost;
import io.vippanel.automation.Outcome;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCredential;
import io.vippanel.automation.SshKey;
import io.vippanel.automation.SshPassword;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command over SSH with sshj: the key is read from memory (never written to disk), the host key must be one
 * of the pinned ones, output is streamed line by line (stdout as INFO, stderr as WARN) and kept up to a limit, and
 * the command is stopped on timeout or cancellation.
 */
public final class SshCommand {

    private static final Logger log = LoggerFactory.getLogger(SshCommand.class);
    private static final DefaultConfig SSHJ_CONFIG = new DefaultConfig();
    private static final long POLL_MILLIS = 200;

    private final ManagedHost host;
    private final SshCredential credential;
    private final String command;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final GuardedListener listener;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();

    public SshCommand(ManagedHost host, SshCredential credential, String command, Duration timeout, Duration connectTimeout, RunListener listener) {
        this.host = host;
        this.credential = credential;
        this.command = command;
        this.timeout = timeout;
        this.connectTimeout = connectTimeout;
        this.listener = new GuardedListener(listener);
    }

    public CommandResult execute() {
        @Nullable KeyProvider keys = credential instanceof SshKey key ? OpenSshKeys.load(key.openSshPem()) : null;
        PinnedHostKeys pinned;
        try {
            pinned = new PinnedHostKeys(host.knownHosts());
        } catch (IOException e) {
            return notRun(Outcome.HOST_KEY_MISMATCH, "The pinned host keys of " + host.endpoint() + " cannot be read: " + e.getMessage());
        }
        try (SSHClient ssh = new SSHClient(SSHJ_CONFIG)) {
            ssh.addHostKeyVerifier(pinned);
            ssh.setConnectTimeout((int) connectTimeout.toMillis());
            ssh.getTransport().setTimeoutMs((int) connectTimeout.toMillis());
            try {
                ssh.connect(host.address(), host.port());
            } catch (IOException e) {
                HostKeyProblem refusal = pinned.refusal();
                if (refusal != null) {
                    return notRun(Outcome.HOST_KEY_MISMATCH, refusal == HostKeyProblem.CHANGED
                            ? host.hostKeyChangedMessage() : host.hostKeyNotPinnedMessage());
                }
                return notRun(Outcome.UNREACHABLE, "Could not connect to " + host.endpoint() + ": " + reason(e));
            }
            try {
                if (credential instanceof SshPassword password) {
                    ssh.authPassword(host.user(), password.reveal().toCharArray());
                } else {
                    ssh.authPublickey(host.user(), keys);
                }
            } catch (UserAuthException e) {
                return notRun(Outcome.UNREACHABLE, host.endpoint() + " refused the " + (keys == null ? "password" : "key")
                        + " for user " + host.user() + ".");
            }
            try (Session session = ssh.startSession()) {
                return runIn(session);
            }
        } catch (IOException e) {
            return notRun(Outcome.UNREACHABLE, "The SSH connection to " + host.endpoint() + " failed: " + reason(e));
        }
    }

    private CommandResult runIn(Session session) throws IOException {
        Session.Command running = session.exec(command);
        Thread out = LinePump.start(running.getInputStream(), line -> take(LogLevel.INFO, line, stdout), "ssh-stdout");
        Thread err = LinePump.start(running.getErrorStream(), line -> take(LogLevel.WARN, line, stderr), "ssh-stderr");
        @Nullable Outcome stoppedAs = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (out.isAlive() || err.isAlive()) {
                (out.isAlive() ? out : err).join(POLL_MILLIS);
                if (!out.isAlive() && !err.isAlive()) {
                    break;
                }
                if (listener.cancelled()) {
                    stoppedAs = Outcome.CANCELLED;
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    stoppedAs = Outcome.TIMED_OUT;
                    break;
                }
            }
            if (stoppedAs == null) {
                running.join(5, TimeUnit.SECONDS); // the exit status arrives just before the channel closes
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stoppedAs = Outcome.CANCELLED;
        } catch (IOException e) {
            log.debug("Waiting for the command's channel to close failed", e);
        }
        if (stoppedAs != null) {
            stop(running);
            LinePump.await(out, Duration.ofSeconds(2));
            LinePump.await(err, Duration.ofSeconds(2));
            String message = stoppedAs == Outcome.CANCELLED ? "Cancelled." : "Did not finish within " + timeout.toString().substring(2).toLowerCase() + ".";
            listener.line(stoppedAs == Outcome.CANCELLED ? LogLevel.WARN : LogLevel.ERROR, message);
            return new CommandResult(stoppedAs, -1, captured(stdout), captured(stderr), message);
        }
        Integer exitStatus = running.getExitStatus();
        if (exitStatus == null) {
            Signal signal = running.getExitSignal();
            String message = signal != null ? "The command was killed by signal " + signal + "." : "The command ended without an exit status.";
            return new CommandResult(Outcome.FAILED, -1, captured(stdout), captured(stderr), message);
        }
        return new CommandResult(exitStatus == 0 ? Outcome.SUCCEEDED : Outcome.FAILED, exitStatus, captured(stdout),
                captured(stderr), exitStatus == 0 ? null : "The command exited with status " + exitStatus + ".");
    }

    /**
     * Asks the server to end the command (OpenSSH honours the "signal" request) and closes the channel. A command
     * that ignores both may run on until it next writes, as with any dropped SSH session.
     */
    private static void stop(Session.Command running) {
        try {
            running.signal(Signal.TERM);
        } catch (IOException e) {
            log.debug("Could not send TERM to the command", e);
        }
        try {
            running.close();
        } catch (IOException e) {
            log.debug("Could not close the command's channel", e);
        }
    }

    private void take(LogLevel level, String line, StringBuilder capture) {
        synchronized (capture) {
            if (capture.length() + line.length() + 1 <= CommandResult.MAX_CAPTURED_CHARS) {
                capture.append(line).append('\n');
            }
        }
        listener.line(level, line);
    }

    private static String captured(StringBuilder capture) {
        synchronized (capture) {
            return capture.toString();
        }
    }

    private CommandResult notRun(Outcome outcome, String message) {
        listener.line(LogLevel.ERROR, message);
        return new CommandResult(outcome, -1, "", "", message);
    }

    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
