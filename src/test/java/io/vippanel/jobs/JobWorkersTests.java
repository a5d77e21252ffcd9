package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.VipPanel;
import io.vippanel.jobs.internal.JobScheduling;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/** Two workers on one job table: every job runs exactly once, and a recurring schedule has one owner per run. */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobWorkersTests {

    private static String database;

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        database = JobsTestProperties.register(registry, "workers");
        registry.add("vip.test.recurring-tick", () -> "true");
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    Environment environment;
    @Autowired
    Jobs jobs;
    @Autowired
    SystemTransactions system;
    @Autowired
    JobScheduling scheduling;

    Fixture fixture;
    JobWatch watch;
    ConfigurableApplicationContext secondWorker;

    @BeforeAll
    void startSecondWorker() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(60));
        Map<String, String> settings = new HashMap<>();
        for (String key : List.of("vip.database.url", "vip.database.user", "vip.database.password", "vip.redis.url",
                "vip.redis.key-prefix", "vip.data-dir", "vip.jobs.threads", "vip.jobs.polling-interval",
                "vip.jobs.heartbeat-interval", "vip.jobs.missed-heartbeats", "vip.jobs.shutdown-max-wait",
                "vip.test.recurring-tick")) {
            settings.put(key, environment.getProperty(key, ""));
        }
        settings.put("vip.role", "worker");
        settings.put("vip.database.pool-size", "6");
        // As command-line arguments: SpringApplicationBuilder.properties() would rank below application.yaml.
        secondWorker = new SpringApplicationBuilder(VipPanel.class).web(WebApplicationType.NONE)
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    @AfterAll
    void stopSecondWorker() {
        secondWorker.close();
    }

    @Test
    void twoWorkersNeverRunTheSameJobTwice() {
        List<String> ids = new ArrayList<>();
        system.run(() -> {
            for (int i = 0; i < 300; i++) {
                ids.add(jobs.enqueue(new NewJob(fixture.client1.id(), TestJobTypes.STEPS, "burst " + i, null, null,
                        Map.of("steps", 1, "delayMillis", 5), null)).id());
            }
        });

        Instant deadline = Instant.now().plusSeconds(60);
        List<Job> all;
        do {
            TestJobTypes.sleep(200);
            all = ids.stream().map(watch::current).toList();
        } while (!all.stream().allMatch(job -> job.status().isFinal()) && Instant.now().isBefore(deadline));

        assertThat(all).allSatisfy(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(1);
            List<String> lines = watch.lines(job.id());
            assertThat(lines.stream().filter(line -> line.startsWith("Attempt "))).hasSize(1);
            assertThat(lines.stream().filter(line -> line.equals("step 1 of 1"))).hasSize(1);
        });
        Set<String> workers = all.stream().map(Job::worker).collect(Collectors.toSet());
        String other = secondWorker.getBean(JobScheduling.class).workerName();
        assertThat(workers).as("both workers took part").containsExactlyInAnyOrder(scheduling.workerName(), other);
    }

    @Test
    void aRecurringScheduleRunsOnOneWorkerAtATime() {
        TestJobTypes.sleep(3_000);

        List<TestRecurringWork.Run> runs = TestRecurringWork.runsOn(database).stream()
                .sorted(Comparator.comparing(TestRecurringWork.Run::start)).toList();
        assertThat(runs).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).start()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).end());
        }
        assertThat(Duration.between(runs.getFirst().start(), runs.getLast().end())).isPositive();
    }
}
