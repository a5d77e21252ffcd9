package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.audit.AuditEntry;
import io.vippanel.audit.AuditFilter;
import io.vippanel.audit.AuditTrail;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.JobsTestProperties;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Playbooks as background jobs, end to end: a job runs a real playbook over SSH on the worker, its log fills
 * with ansible's lines, cancelling the job stops the playbook's whole process group, a changed host key fails
 * the job and lands in the audit trail, and a secret variable never reaches the job's log or record. The login
 * key and the password are stored encrypted and decrypted by the job on the worker, as they will be for servers.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutomationJobsTests {

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "automation_jobs");
        registry.add("vip.test.playbook-jobs", () -> "true");
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    Jobs jobs;
    @Autowired
    AuditTrail audit;
    @Autowired
    SecretBox secretBox;

    Fixture fixture;
    JobWatch watch;
    TestSshHost host;
    Path automationDir;
    String databasePassword;

    @BeforeAll
    void setUp() throws Exception {
        TestSshHost.assumeUsable(true);
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(60));
        host = TestSshHost.start();
        automationDir = Files.createTempDirectory("vip-automation-jobs-");
        AutomationPlaybookRunnerTests.copyTree(Path.of("automation"), automationDir);
        AutomationPlaybookRunnerTests.copyTree(Path.of("src/test/resources/automation-test"), automationDir);
        databasePassword = "job-secret-" + System.nanoTime();
        TestPlaybookJobType.target = TestPlaybookJobType.Target.encrypted(secretBox, host.managedHost(), host.clientKey(),
                new PlaybookRunner(automationDir, "ansible-playbook", Duration.ofMinutes(2), Duration.ofSeconds(10)),
                databasePassword);
    }

    @AfterAll
    void tearDown() throws Exception {
        TestPlaybookJobType.target = null;
        if (host != null) {
            host.close();
        }
        if (automationDir != null) {
            AutomationPlaybookRunnerTests.deleteTree(automationDir);
        }
    }

    private Job enqueue(Map<String, ?> params) {
        return watch.enqueue(new NewJob(fixture.client1.id(), TestPlaybookJobType.NAME, "playbook",
                "server", "srv_test", params, fixture.client1User));
    }

    @Test
    void aPlaybookJobStreamsAnsiblesOutputAndStoresTheRecap() throws Exception {
        Path marker = host.home().resolve("job-marker");
        Job job = enqueue(Map.of("playbook", "check-connection.yml",
                "vars", Map.of("panel_id", "panel-job-test", "marker_path", marker.toString(), "use_sudo", "false")));

        Job done = watch.await(job.id(), j -> j.status().isFinal(), Duration.ofSeconds(90));

        assertThat(done.status()).as("log: %s", watch.lines(job.id())).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Files.readString(marker)).contains("panel-job-test");
        assertThat(done.result().path("outcome").asString()).isEqualTo("succeeded");
        assertThat(done.result().path("recap").path("failed").asInt()).isZero();
        assertThat(done.result().path("tasks").size()).isPositive();
        assertThat(watch.lines(job.id())).anyMatch(line -> line.startsWith("TASK [")).anyMatch(line -> line.startsWith("PLAY RECAP"));
    }

    @Test
    void cancellingAPlaybookJobStopsItsProcessGroup() {
        Job job = enqueue(Map.of("playbook", "sleep.yml"));
        watch.await(job.id(), j -> watch.lines(j.id()).stream().anyMatch(line -> line.contains("Sleep for a while")));
        long group = ansibleGroupRunning("sleep.yml");

        Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, job.id()));
        Job cancelled = watch.await(job.id(), j -> j.status().isFinal(), Duration.ofSeconds(30));

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(RunWatcher.livingMembersOf(group)).as("processes left in group " + group).isEmpty();
    }

    /** The process group of the ansible-playbook running {@code playbook} from this test's automation folder. */
    private long ansibleGroupRunning(String playbook) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (long pid : RunWatcher.pids()) {
                String commandLine = String.join(" ", RunWatcher.commandLine(pid));
                if (commandLine.contains("ansible-playbook") && commandLine.contains(automationDir.resolve("playbooks").resolve(playbook).toString())) {
                    return RunWatcher.groupOf(pid);
                }
            }
            sleep(100);
        }
        throw new AssertionError("no ansible-playbook process runs " + playbook);
    }

    @Test
    void aChangedHostKeyFailsTheJobAtOnceAndIsAudited() throws Exception {
        ManagedHost stale = host.managedHost();
        host.regenerateHostKey();
        try {
            TestPlaybookJobType.target = TestPlaybookJobType.target.withHost(stale);
            Job job = enqueue(Map.of("playbook", "check-connection.yml", "vars", Map.of("panel_id", "panel-job-test",
                    "marker_path", host.home().resolve("after-rebuild").toString(), "use_sudo", "false")));

            Job failed = watch.awaitFinal(job.id());

            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.attempts()).as("a changed host key is not retried").isEqualTo(1);
            assertThat(failed.summary()).isEqualTo(stale.hostKeyChangedMessage());
            List<AuditEntry> entries = Fixture.as(fixture.superadmin, () -> audit.list(fixture.superadmin,
                    new AuditFilter(null, "automation.host_key_mismatch", "srv_test", null, null), 10, 0));
            assertThat(entries).isNotEmpty();
            assertThat(entries.getFirst().outcome()).isEqualTo("failure");
        } finally {
            TestPlaybookJobType.target = TestPlaybookJobType.target.withHost(host.managedHost());
        }
    }

    @Test
    void aSecretVariableNeverReachesTheJobLogOrRecord() {
        String secret = databasePassword;
        Job job = enqueue(Map.of("playbook", "print-secret.yml", "withPassword", true, "vars", Map.of("harmless", "visible")));

        Job done = watch.awaitFinal(job.id());

        assertThat(done.status()).as("the playbook ends with a failing task that prints the secret").isEqualTo(JobStatus.FAILED);
        assertThat(done.summary()).isEqualTo("Task \"Fail with it in the message\" failed: cannot log in with ********");
        assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("visible")).noneMatch(line -> line.contains(secret));
        assertThat(String.valueOf(done.summary())).doesNotContain(secret);
        assertThat(done.result().toString()).doesNotContain(secret);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
