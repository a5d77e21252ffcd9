package io.vippanel.automation;

import static java.nio.file.attribute.PosixFilePermissions.fromString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.automation.PlaybookResult.TaskResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The playbook runner against a real sshd with real ansible-playbook: the production check-connection playbook,
 * pinned host keys, secret masking, cancellation, timeouts and failures, each checked from outside the runner
 * (files on the host, /proc, sshd's log).
 */
class AutomationPlaybookRunnerTests {

    private static final String PANEL_ID = "pnl_7Kq2mZ";

    private static TestSshHost host;
    private static Path automationDir;
    private static PlaybookRunner runner;

    @BeforeAll
    static void startHost() throws Exception {
        TestSshHost.assumeUsable(true);
        host = TestSshHost.start();
        // the real automation folder plus the test-only playbooks
        automationDir = Files.createTempDirectory("vip-automation-test-");
        copyTree(Path.of("automation"), automationDir);
        copyTree(Path.of("src/test/resources/automation-test"), automationDir);
        runner = new PlaybookRunner(automationDir, "ansible-playbook", Duration.ofMinutes(2), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
        if (automationDir != null) {
            deleteTree(automationDir);
        }
    }

    @Test
    void checkConnectionMarksTheServerReportsItsFactsAndChangesNothingOnTheSecondRun() throws Exception {
        Path marker = host.home().resolve("etc/vip-panel/managed");
        RunWatcher first = new RunWatcher(automationDir, "check-connection.yml");

        PlaybookResult result = runner.run(checkConnection(host.managedHost(), marker), first);

        assertThat(result.outcome()).as(diagnose(first)).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.failedTask()).isNull();
        assertThat(result.recap().changed()).isEqualTo(2); // the marker's folder and the marker
        assertThat(result.recap().ok()).isEqualTo(7);
        assertThat(result.recap().failed()).isZero();
        assertThat(result.recap().unreachable()).isZero();
        // checked from outside: the file the login user wrote over SSH
        assertThat(Files.readString(marker)).isEqualTo(PANEL_ID + "\n");
        assertThat(Files.getPosixFilePermissions(marker)).isEqualTo(fromString("rw-r--r--"));
        assertThat(Files.getAttribute(marker, "unix:uid")).isEqualTo(host.uid());
        assertThat(result.outputs().get("kernel")).isEqualTo(System.getProperty("os.version"));
        assertThat(result.outputs().get("distribution")).asString().isNotBlank();
        assertThat(result.outputs().get("python_version")).asString().startsWith("3.");
        assertThat(Long.parseLong(String.valueOf(result.outputs().get("cpu_count")))).isPositive();
        assertThat(Long.parseLong(String.valueOf(result.outputs().get("memory_mb")))).isPositive();
        assertThat(result.tasks()).contains(
                new TaskResult("Log in and run Python", "127.0.0.1", "ok", null),
                new TaskResult("Mark the server as managed by this panel", "127.0.0.1", "changed", null));
        assertThat(first.text()).contains("INFO TASK [Log in and run Python]", "INFO ok: [127.0.0.1]",
                "INFO changed: [127.0.0.1]", "INFO PLAY RECAP",
                "127.0.0.1                  : ok=7 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0");

        RunWatcher second = new RunWatcher(automationDir, "check-connection.yml");
        PlaybookResult again = runner.run(checkConnection(host.managedHost(), marker), second);

        assertThat(again.outcome()).as(diagnose(second)).isEqualTo(Outcome.SUCCEEDED);
        assertThat(again.recap().changed()).isZero();
        assertThat(again.recap().ok()).isEqualTo(7);
        assertThat(Files.readString(marker)).isEqualTo(PANEL_ID + "\n");
    }

    @Test
    void aChangedHostKeyStopsTheRunBeforeAnythingHappensOnTheServer() throws Exception {
        ManagedHost pinnedBeforeRebuild = host.managedHost();
        host.regenerateHostKey();
        long loginsBefore = acceptedLogins();
        Path marker = host.home().resolve("etc/after-rebuild/managed");
        RunWatcher watcher = new RunWatcher(automationDir, "check-connection.yml");

        PlaybookResult result = runner.run(checkConnection(pinnedBeforeRebuild, marker), watcher);

        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.HOST_KEY_MISMATCH);
        assertThat(result.failureMessage()).isEqualTo("The SSH host key of 127.0.0.1:" + host.port() + " does not match "
                + "the pinned key. If the server was rebuilt, re-pin its key; otherwise someone may be intercepting the connection.");
        assertThat(result.failedTask()).isEqualTo("Log in and run Python");
        assertThat(result.recap().changed()).isZero();
        assertThat(watcher.text()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
        assertThat(marker.getParent()).doesNotExist();
        assertThat(acceptedLogins()).as("sshd accepted no login").isEqualTo(loginsBefore);

        // a key pinned for another address/port only is no key for this one: refused as well, never learnt
        ManagedHost pinnedElsewhere = new ManagedHost("127.0.0.1", host.port(), TestSshHost.USER,
                host.pinnedKnownHosts().replace("[127.0.0.1]:" + host.port(), "[127.0.0.1]:1"));
        PlaybookResult notPinned = runner.run(checkConnection(pinnedElsewhere, marker), RunListener.NONE);
        assertThat(notPinned.outcome()).isEqualTo(Outcome.HOST_KEY_MISMATCH);
        assertThat(notPinned.failureMessage()).startsWith("The SSH host key of 127.0.0.1:" + host.port() + " is not among the keys pinned");
        assertThat(marker.getParent()).doesNotExist();

        // once the new key is pinned, the server is reachable again
        PlaybookResult repinned = runner.run(new PlaybookRun("sleep.yml", host.managedHost(), host.clientKey(),
                Map.of("seconds", 0), Set.of(), null), RunListener.NONE);
        assertThat(repinned.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aServerWithoutPinnedKeysCannotEvenBeDescribed() {
        assertThatThrownBy(() -> new ManagedHost("127.0.0.1", host.port(), TestSshHost.USER, " \n# nothing pinned\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never trusts a key on first use");
    }

    @Test
    void secretsNeverReachTheListenerOrTheResultEvenWhenAPlaybookPrintsThem() {
        // The "{{ ... }}" also proves values are passed literally: evaluated, it would print the run folder instead.
        String secret = "Sup3r-{{ lookup('env', 'HOME') }}-Pa55";
        Map<String, Object> vars = Map.of("db_password", secret, "harmless", "plain-visible-value");
        RunWatcher watcher = new RunWatcher(automationDir, "print-secret.yml");

        PlaybookResult result = runner.run(new PlaybookRun("print-secret.yml", host.managedHost(), host.clientKey(), vars,
                Set.of("db_password"), null), watcher);

        String everything = watcher.text() + "\n" + result;
        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.FAILED);
        assertThat(everything).doesNotContain(secret, "Sup3r-", "-Pa55",
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)), host.clientKey().openSshPem().lines().toList().get(1));
        assertThat(watcher.text()).contains(
                "INFO TASK [Show ******** in a task name]",
                "INFO ok: [127.0.0.1] => db password is ******** and the harmless value is plain-visible-value",
                "INFO TASK [Show it base64-encoded]",
                "INFO ok: [127.0.0.1] => ********",
                "INFO ok: [127.0.0.1] => {\"echoed.stdout\":\"********\"}",
                "ERROR fatal: [127.0.0.1]: FAILED! => cannot log in with ********");
        assertThat(result.failedTask()).isEqualTo("Fail with it in the message");
        assertThat(result.failureMessage()).isEqualTo("cannot log in with ********");
        assertThat(result.tasks()).extracting(TaskResult::name).contains("Show ******** in a task name");
    }

    @Test
    void cancellingStopsEveryProcessOfTheRun() {
        RunWatcher watcher = new RunWatcher(automationDir, "sleep.yml",
                // cancel once the sleep is really running on the server (ssh started) or after 5 s at the most
                w -> w.saw("TASK [Sleep for a while]") && (w.sawMemberRunning("ssh") || w.nanosSince("TASK [Sleep") > 5_000_000_000L));
        long started = System.nanoTime();

        PlaybookResult result = runner.run(new PlaybookRun("sleep.yml", host.managedHost(), host.clientKey(), Map.of(),
                Set.of(), Duration.ofMinutes(1)), watcher);

        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failedTask()).isEqualTo("Sleep for a while");
        assertThat(result.failureMessage()).isEqualTo("Cancelled during task \"Sleep for a while\".");
        assertThat(watcher.text()).contains("WARN Cancelled: stopping ansible-playbook.");
        assertThat(watcher.groupId).isPositive();
        assertThat(watcher.sawMemberRunning("ssh")).as("ssh ran in the run's process group").isTrue();
        assertThat(RunWatcher.livingMembersOf(watcher.groupId)).as("processes left in group " + watcher.groupId).isEmpty();
        // Killed children of a killed parent are collected by init; until then ps lists them as zombies (Z), which
        // run nothing. No other state may remain.
        assertThat(psGroup(watcher.groupId)).allMatch(line -> line.endsWith(" Z"));
        assertThat(watcher.runFolder).doesNotExist();
    }

    @Test
    void aRunLongerThanItsTimeoutIsStopped() {
        RunWatcher watcher = new RunWatcher(automationDir, "sleep.yml");
        long started = System.nanoTime();

        PlaybookResult result = runner.run(new PlaybookRun("sleep.yml", host.managedHost(), host.clientKey(), Map.of(),
                Set.of(), Duration.ofSeconds(3)), watcher);

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.TIMED_OUT);
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
        assertThat(result.failedTask()).isEqualTo("Sleep for a while");
        assertThat(result.failureMessage()).isEqualTo("Did not finish within 3s; stopped during task \"Sleep for a while\".");
        assertThat(watcher.text()).contains("ERROR Timed out after 3s: stopping ansible-playbook.");
        assertThat(RunWatcher.livingMembersOf(watcher.groupId)).isEmpty();
        assertThat(watcher.runFolder).doesNotExist();
    }

    @Test
    void aClosedPortIsUnreachableWithTheReason() throws Exception {
        int closedPort = TestSshHost.freePort();
        ManagedHost nobodyListens = new ManagedHost("127.0.0.1", closedPort, TestSshHost.USER,
                "[127.0.0.1]:" + closedPort + " " + host.pinnedKnownHosts().split(" ", 2)[1]);
        RunWatcher watcher = new RunWatcher(automationDir, "check-connection.yml");

        PlaybookResult result = runner.run(checkConnection(nobodyListens, host.home().resolve("unreachable/managed")), watcher);

        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.recap().unreachable()).isEqualTo(1);
        assertThat(result.failedTask()).isEqualTo("Log in and run Python");
        assertThat(result.failureMessage()).contains("port " + closedPort + ": Connection refused");
        assertThat(watcher.text()).contains("ERROR fatal: [127.0.0.1]: UNREACHABLE! =>");
        assertThat(watcher.runFolder).doesNotExist();
    }

    @Test
    void aFailingTaskIsReportedByNameWithItsMessage() {
        RunWatcher watcher = new RunWatcher(automationDir, "failing-task.yml");

        PlaybookResult result = runner.run(PlaybookRun.of("failing-task.yml", host.managedHost(), host.clientKey(), Map.of()), watcher);

        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.recap().ok()).isEqualTo(1);
        assertThat(result.recap().failed()).isEqualTo(1);
        assertThat(result.failedTask()).isEqualTo("List a folder that does not exist");
        assertThat(result.failureMessage()).startsWith("non-zero return code\n").contains("No such file or directory");
        assertThat(result.tasks()).extracting(TaskResult::status).containsExactly("ok", "failed");
        assertThat(result.tasks().get(1).message()).isEqualTo(result.failureMessage());
        assertThat(watcher.text()).contains("ERROR fatal: [127.0.0.1]: FAILED! => non-zero return code")
                .doesNotContain("TASK [Never reached]");
    }

    @Test
    void theRunFolderIsPrivateAndRemovedAndTheKeyNeverAppearsInAnyProcessOfTheRun() {
        RunWatcher watcher = new RunWatcher(automationDir, "sleep.yml");

        PlaybookResult result = runner.run(new PlaybookRun("sleep.yml", host.managedHost(), host.clientKey(),
                Map.of("seconds", 2), Set.of(), null), watcher);

        assertThat(result.outcome()).as(diagnose(watcher)).isEqualTo(Outcome.SUCCEEDED);
        Path runFolder = watcher.runFolder;
        assertThat(runFolder).as("the run folder was seen while it ran").isNotNull();
        assertThat(runFolder).doesNotExist();
        assertThat(watcher.permissionsSeen).containsEntry("folder", fromString("rwx------"))
                .containsEntry("id_key", fromString("rw-------"));

        List<RunWatcher.Member> members = List.copyOf(watcher.members.values());
        RunWatcher.Member ansible = members.stream().filter(m -> m.pid() == watcher.groupId).findFirst().orElseThrow();
        assertThat(ansible.commandLine()).containsSubsequence("-i", runFolder.resolve("inventory.json").toString())
                .containsSubsequence("-e", "@" + runFolder.resolve("vars.json"));
        RunWatcher.Member ssh = members.stream()
                .filter(m -> !m.commandLine().isEmpty() && m.commandLine().getFirst().endsWith("ssh")).findFirst().orElseThrow();
        assertThat(String.join(" ", ssh.commandLine())).contains("StrictHostKeyChecking=yes", "ControlMaster=auto",
                "ControlPersist=60s", "UserKnownHostsFile=" + runFolder.resolve("known_hosts"), runFolder.resolve("id_key").toString());
        assertThat(ProcessHandle.allProcesses().map(process -> process.info().commandLine().orElse(""))
                .filter(line -> line.contains(runFolder.toString())).toList())
                .as("the run's master connection is closed with the run").isEmpty();

        List<String> keyBody = host.clientKey().openSshPem().lines().filter(line -> !line.startsWith("-----")).toList();
        for (RunWatcher.Member member : members) {
            String seen = String.join(" ", member.commandLine()) + "\n" + member.environment();
            for (String keyLine : keyBody) {
                assertThat(seen).as("process %d", member.pid()).doesNotContain(keyLine);
            }
            assertThat(member.environment()).doesNotContain("VIP_", "SSH_AUTH_SOCK");
        }
    }

    @Test
    void onlyPlaybooksOfTheAutomationFolderRun() {
        assertThatThrownBy(() -> runner.run(PlaybookRun.of("no-such-playbook.yml", host.managedHost(), host.clientKey(), Map.of()),
                RunListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No playbook no-such-playbook.yml");
        assertThatThrownBy(() -> PlaybookRun.of("../../etc/passwd.yml", host.managedHost(), host.clientKey(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PlaybookRun checkConnection(ManagedHost target, Path marker) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("panel_id", PANEL_ID);
        vars.put("marker_path", marker.toString());
        vars.put("use_sudo", false); // the test login has no sudo; its marker lives in its home
        return PlaybookRun.of("check-connection.yml", target, host.clientKey(), vars);
    }

    /** What a failed assertion shows: the run's lines and what sshd saw. */
    private static String diagnose(RunWatcher watcher) {
        return watcher.text() + "\n--- sshd log ---\n" + host.log();
    }

    private static long acceptedLogins() {
        return host.log().lines().filter(line -> line.startsWith("Accepted publickey")).count();
    }

    private static List<String> psGroup(long group) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "pid=,stat=", "-g", Long.toString(group)).start();
            List<String> lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            ps.waitFor();
            return lines;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
