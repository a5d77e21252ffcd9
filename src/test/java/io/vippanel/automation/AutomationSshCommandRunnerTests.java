package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sshj command runner against a real sshd: output and exit status, pinned host keys, timeout, cancel, unreachable. */
class AutomationSshCommandRunnerTests {

    private static TestSshHost host;
    private final SshCommandRunner runner = new SshCommandRunner(Duration.ofSeconds(5));

    @BeforeAll
    static void startHost() throws Exception {
        TestSshHost.assumeUsable(false);
        host = TestSshHost.start();
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    /** Keeps the lines, and cancels once a line starting with the given text arrived (if any). */
    private static final class Lines implements RunListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final String cancelAfter;

        Lines(String cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        Lines() {
            this(null);
        }

        @Override
        public void line(LogLevel level, String text) {
            lines.add(level + " " + text);
        }

        @Override
        public boolean cancelled() {
            return cancelAfter != null && lines.stream().anyMatch(line -> line.startsWith(cancelAfter));
        }
    }

    @Test
    void runsACommandAndReturnsItsOutputAndExitStatus() {
        Lines lines = new Lines();

        CommandResult result = runner.run(host.managedHost(), host.clientKey(), "uname -s; id -un", Duration.ofSeconds(20), lines);

        assertThat(result.outcome()).as(result.failureMessage() + "\n" + host.log()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitStatus()).isZero();
        assertThat(result.stdout()).isEqualTo("Linux\n" + TestSshHost.USER + "\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(lines.lines).containsExactly("INFO Linux", "INFO " + TestSshHost.USER);
    }

    @Test
    void aFailingCommandReportsItsStatusAndStderr() {
        Lines lines = new Lines();

        CommandResult result = runner.run(host.managedHost(), host.clientKey(), "echo partial; echo broken >&2; exit 3",
                Duration.ofSeconds(20), lines);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitStatus()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("partial\n");
        assertThat(result.stderr()).isEqualTo("broken\n");
        assertThat(result.failureMessage()).isEqualTo("The command exited with status 3.");
        assertThat(lines.lines).contains("INFO partial", "WARN broken");
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeLogin() throws Exception {
        ManagedHost pinnedBeforeRebuild = host.managedHost();
        host.regenerateHostKey();
        long loginsBefore = acceptedLogins();
        Lines lines = new Lines();

        CommandResult result = runner.run(pinnedBeforeRebuild, host.clientKey(), "touch ~/should-not-exist", Duration.ofSeconds(20), lines);

        assertThat(result.outcome()).isEqualTo(Outcome.HOST_KEY_MISMATCH);
        assertThat(result.exitStatus()).isEqualTo(-1);
        assertThat(result.failureMessage()).isEqualTo("The SSH host key of 127.0.0.1:" + host.port() + " does not match "
                + "the pinned key. If the server was rebuilt, re-pin its key; otherwise someone may be intercepting the connection.");
        assertThat(lines.lines).containsExactly("ERROR " + result.failureMessage());
        assertThat(host.home().resolve("should-not-exist")).doesNotExist();
        assertThat(acceptedLogins()).isEqualTo(loginsBefore);
        // with the new key pinned it works again
        assertThat(runner.run(host.managedHost(), host.clientKey(), "true", Duration.ofSeconds(20), RunListener.NONE).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aKeyPinnedForAnotherHostOnlyIsRefused() {
        ManagedHost pinnedElsewhere = new ManagedHost("127.0.0.1", host.port(), TestSshHost.USER,
                host.pinnedKnownHosts().replace("[127.0.0.1]:" + host.port(), "[192.0.2.1]:22"));

        CommandResult result = runner.run(pinnedElsewhere, host.clientKey(), "touch ~/should-not-exist", Duration.ofSeconds(20), RunListener.NONE);

        assertThat(result.outcome()).isEqualTo(Outcome.HOST_KEY_MISMATCH);
        assertThat(result.failureMessage()).startsWith("The SSH host key of 127.0.0.1:" + host.port() + " is not among the keys pinned");
        assertThat(host.home().resolve("should-not-exist")).doesNotExist();
    }

    @Test
    void aCommandLongerThanItsTimeoutIsStopped() {
        long started = System.nanoTime();

        CommandResult result = runner.run(host.managedHost(), host.clientKey(), "echo started; sleep 30", Duration.ofSeconds(1), new Lines());

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aCommandCanBeCancelled() {
        Lines lines = new Lines("INFO started");

        CommandResult result = runner.run(host.managedHost(), host.clientKey(), "echo started; sleep 30", Duration.ofSeconds(60), lines);

        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(lines.lines).contains("WARN Cancelled.");
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int closedPort = TestSshHost.freePort();
        ManagedHost nobodyListens = new ManagedHost("127.0.0.1", closedPort, TestSshHost.USER, host.pinnedKnownHosts());

        CommandResult result = runner.run(nobodyListens, host.clientKey(), "true", Duration.ofSeconds(20), RunListener.NONE);

        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.failureMessage()).startsWith("Could not connect to 127.0.0.1:" + closedPort + ": ").contains("refused");
    }

    private static long acceptedLogins() {
        return host.log().lines().filter(line -> line.startsWith("Accepted publickey")).count();
    }
}
