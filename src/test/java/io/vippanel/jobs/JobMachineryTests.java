package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.platform.InvalidInput;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestDatabase;
import io.vippanel.tenancy.SystemTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.annotation.DirtiesContext;

/** The job machinery against the real PostgreSQL: scheduling, retries, cancellation, redaction, re-runs. */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobMachineryTests {

    private static String database;

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        database = JobsTestProperties.register(registry, "jobs");
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    Jobs jobs;
    @Autowired
    SystemTransactions system;
    @Autowired
    PlatformTransactionManager transactionManager;

    Fixture fixture;
    JobWatch watch;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(20));
    }

    private Job enqueue(String type, Map<String, ?> params) {
        return watch.enqueue(new NewJob(fixture.client1.id(), type, "Test " + type, "test", "tgt_1", params, fixture.client1User));
    }

    private long countRows(String sql, String id) throws SQLException {
        try (Connection connection = TestDatabase.superuser(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aJobQueuedInARolledBackTransactionNeverExists() throws SQLException {
        List<String> created = new ArrayList<>();
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        assertThatThrownBy(() -> system.run(() -> template.executeWithoutResult(status -> {
            created.add(jobs.enqueue(NewJob.of(fixture.client1.id(), TestJobTypes.STEPS, "doomed", fixture.client1User)).id());
            throw new IllegalStateException("the change that needed the job failed");
        }))).hasMessageContaining("needed the job failed");

        assertThat(created).hasSize(1);
        assertThat(countRows("SELECT count(*) FROM jobs WHERE id = ?", created.getFirst())).isZero();
        assertThat(countRows("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", created.getFirst())).isZero();
    }

    @Test
    void aCommittedJobRunsAndRecordsItsProgress() {
        Job queued = enqueue(TestJobTypes.STEPS, Map.of("steps", 3, "delayMillis", 10));
        assertThat(queued.id()).startsWith("job_");
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);

        Job done = watch.awaitFinal(queued.id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.summary()).isEqualTo("all 3 steps done");
        assertThat(done.result().path("steps").asInt()).isEqualTo(3);
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(done.createdByEmail()).isEqualTo(fixture.client1User.email());
        assertThat(done.worker()).isNotBlank();
        assertThat(watch.lines(queued.id())).containsSubsequence("step 1 of 3", "step 2 of 3", "step 3 of 3", "all 3 steps done");
    }

    @Test
    void transientFailuresAreRetriedWithGrowingDelaysThenFailWithTheReason() {
        Job job = enqueue(TestJobTypes.BROKEN, Map.of());

        Job failed = watch.awaitFinal(job.id());

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.summary()).isEqualTo("Failed after 3 attempts: Unexpected error: IllegalStateException: connection reset by peer");
        List<JobLogLine> log = watch.log(job.id());
        List<Instant> starts = log.stream().filter(line -> line.line().matches("Attempt \\d of 3 started.*")).map(JobLogLine::at).toList();
        assertThat(starts).hasSize(3);
        // Equal jitter: the wait before attempt n is between half and all of 300 ms * 2^(n-2).
        assertThat(Duration.between(starts.get(0), starts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.between(starts.get(1), starts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(log.stream().filter(line -> line.line().contains("Retrying at"))).hasSize(2);
    }

    @Test
    void aRetryCanSucceed() {
        Job done = watch.awaitFinal(enqueue(TestJobTypes.FLAKY, Map.of("failures", 1)).id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.summary()).isEqualTo("worked on attempt 2");
    }

    @Test
    void permanentFailuresAreNotRetried() {
        Job failed = watch.awaitFinal(enqueue(TestJobTypes.MISCONFIGURED, Map.of()).id());

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.summary()).isEqualTo("no API token is stored for this provider");
    }

    @Test
    void aRunningJobIsCancelledOnRequest() {
        Job job = enqueue(TestJobTypes.STEPS, Map.of("steps", 200, "delayMillis", 50));
        watch.await(job.id(), j -> j.status() == JobStatus.RUNNING && watch.lines(j.id()).size() >= 3, Duration.ofSeconds(10));

        Job requested = Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, job.id()));
        assertThat(requested.cancelRequested()).isTrue();

        Job cancelled = watch.awaitFinal(job.id());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(watch.lines(job.id())).doesNotContain("step 200 of 200").contains("Cancelled while running.");
    }

    @Test
    void aJobWaitingForItsRetryIsCancelledAtOnceAndCanBeRunAgain() throws SQLException {
        Job job = enqueue(TestJobTypes.FLAKY, Map.of("failures", 5));
        watch.await(job.id(), j -> j.status() == JobStatus.QUEUED && j.nextAttemptAt() != null, Duration.ofSeconds(10));

        // A retry is at most 1.2 s away: cancel can race the worker, and either way the job ends cancelled.
        Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, job.id()));
        Job cancelled = watch.awaitFinal(job.id());
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        awaitRowGone(job.id());

        Job rerun = Fixture.as(fixture.client1User, () -> jobs.rerun(fixture.client1User, job.id()));
        assertThat(rerun.id()).isNotEqualTo(job.id());
        assertThat(rerun.rerunOf()).isEqualTo(job.id());
        assertThat(rerun.params().path("failures").asInt()).isEqualTo(5);
        assertThat(rerun.targetId()).isEqualTo("tgt_1");
        Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, rerun.id()));
        watch.awaitFinal(rerun.id());
    }

    private void awaitRowGone(String id) throws SQLException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (countRows("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", id) > 0) {
            assertThat(Instant.now()).isBefore(deadline);
            TestJobTypes.sleep(50);
        }
    }

    @Test
    void finishedJobsCannotBeCancelledAndSucceededOnesCannotBeRerun() {
        Job done = watch.awaitFinal(enqueue(TestJobTypes.STEPS, Map.of("steps", 1, "delayMillis", 1)).id());

        assertThatThrownBy(() -> Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, done.id())))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("already succeeded");
        assertThatThrownBy(() -> Fixture.as(fixture.client1User, () -> jobs.rerun(fixture.client1User, done.id())))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("only a failed or cancelled job");
    }

    @Test
    void anotherTenantsJobIsInvisible() {
        Job job = enqueue(TestJobTypes.STEPS, Map.of("steps", 1, "delayMillis", 1));

        assertThatThrownBy(() -> Fixture.as(fixture.client2User, () -> jobs.get(fixture.client2User, job.id())))
                .isInstanceOf(io.vippanel.platform.NotFound.class);
        assertThatThrownBy(() -> Fixture.as(fixture.reseller2User, () -> jobs.cancel(fixture.reseller2User, job.id())))
                .isInstanceOf(io.vippanel.platform.NotFound.class);
        assertThat(Fixture.as(fixture.reseller2User, () -> jobs.list(fixture.reseller2User, JobFilter.none(), 100, 0)))
                .extracting(Job::id).doesNotContain(job.id());
        assertThat(Fixture.as(fixture.reseller1User, () -> jobs.list(fixture.reseller1User, JobFilter.none(), 100, 0)))
                .extracting(Job::id).contains(job.id());
        watch.awaitFinal(job.id());
        // A live stream reads lines with its user's scope; the application filters by it as well as the database.
        String client2 = fixture.client2User.actingTenantPath();
        assertThat(system.call(() -> jobs.logWithin(client2, job.id(), 0))).isEmpty();
        assertThat(system.call(() -> jobs.logWithin(fixture.reseller1User.actingTenantPath(), job.id(), 0))).isNotEmpty();
    }

    @Test
    void secretsRegisteredByAJobNeverReachItsLogOrRecord() {
        Job done = watch.awaitFinal(enqueue(TestJobTypes.LEAKY, Map.of("hint", "db")).id());

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(watch.lines(done.id())).noneMatch(line -> line.contains("s3cr3t")).contains("connecting with password ********");
        assertThat(done.summary()).doesNotContain("s3cr3t");
        assertThat(done.result().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void unknownJobTypesAreRefusedWhenQueued() {
        assertThatThrownBy(() -> enqueue("no.such.type", Map.of())).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("no.such.type");
    }
}
