package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.support.WorkerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A worker process killed with SIGKILL in the middle of a job: another worker takes the job over once the dead
 * one's heartbeat is overdue, and the job ends instead of staying "running" forever.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRecoveryTests {

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "recovery");
        // This context only serves: the jobs run in the worker processes the test starts and kills.
        registry.add("vip.role", () -> "api");
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    Environment environment;

    Fixture fixture;
    JobWatch watch;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(60));
    }

    private Map<String, String> workerSettings() {
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of("vip.database.url", "vip.database.user", "vip.database.password", "vip.jobs.threads",
                "vip.jobs.polling-interval", "vip.jobs.heartbeat-interval", "vip.jobs.missed-heartbeats")) {
            settings.put(key, environment.getProperty(key, ""));
        }
        settings.put("vip.database.pool-size", "4");
        settings.put("vip.data-dir", environment.getProperty("vip.data-dir", "") + "/worker");
        return settings;
    }

    @Test
    void aJobOfAKilledWorkerIsPickedUpAgainAndFinishes() throws Exception {
        Job job;
        String firstWorker;
        try (WorkerProcess first = WorkerProcess.start(workerSettings(), Duration.ofSeconds(90))) {
            firstWorker = first.workerName();
            job = watch.enqueue(new NewJob(fixture.client1.id(), TestJobTypes.STEPS, "long work", null, null,
                    Map.of("steps", 25, "delayMillis", 200), null));
            watch.await(job.id(), j -> j.status() == JobStatus.RUNNING && firstWorker.equals(j.worker()), Duration.ofSeconds(30));
            watch.await(job.id(), j -> watch.log(j.id()).size() >= 4, Duration.ofSeconds(20));

            first.kill9();
            assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThat(watch.current(job.id()).status())
                .as("a killed worker leaves its job running until someone notices").isEqualTo(JobStatus.RUNNING);

        try (WorkerProcess second = WorkerProcess.start(workerSettings(), Duration.ofSeconds(90))) {
            Job finished = watch.awaitFinal(job.id());

            assertThat(finished.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(finished.attempts()).isEqualTo(2);
            assertThat(finished.worker()).isEqualTo(second.workerName()).isNotEqualTo(firstWorker);
            assertThat(watch.lines(job.id())).contains("The worker running attempt 1 stopped without finishing; starting again.",
                    "step 25 of 25", "all 25 steps done");
        }
    }
}
