package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.VipPanel;
import io.vippanel.jobs.internal.JobScheduling;
import io.vippanel.platform.LiveEvents;
import io.vippanel.support.EventStream;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.TestDatabase;
import io.vippanel.tenancy.SystemTransactions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The production shape in one JVM: two API nodes and a worker, three separate panels on one database. A job the
 * worker runs must reach a browser on either API node, through PostgreSQL LISTEN/NOTIFY when there is no Redis and
 * through Redis pub/sub when there is; and the API nodes must never run jobs themselves.
 */
class EventFanOutTests {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @ParameterizedTest(name = "with Redis: {0}")
    @ValueSource(booleans = {false, true})
    void aJobEventFromTheWorkerReachesBrowsersOnEitherApiNode(boolean withRedis) throws IOException {
        String database = TestDatabase.create("fanout");
        String redisPrefix = "vip-test-fanout-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":";
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        try {
            // One after the other: the first node applies the migrations, the others find them applied.
            ConfigurableApplicationContext api1 = start(started, "api", database, withRedis ? redisPrefix : null);
            ConfigurableApplicationContext api2 = start(started, "api", database, withRedis ? redisPrefix : null);
            ConfigurableApplicationContext worker = start(started, "worker", database, withRedis ? redisPrefix : null);

            String transport = withRedis ? "RedisLiveEvents" : "PostgresLiveEvents";
            for (ConfigurableApplicationContext node : started) {
                assertThat(node.getBean(LiveEvents.class).getClass().getSimpleName()).as("the event transport").isEqualTo(transport);
            }
            assertThat(api1.getBean(JobScheduling.class).isRunning()).as("API node 1 runs no worker").isFalse();
            assertThat(api2.getBean(JobScheduling.class).isRunning()).as("API node 2 runs no worker").isFalse();
            assertThat(worker.getBean(JobScheduling.class).isRunning()).as("the worker runs jobs").isTrue();

            Fixture fixture = Fixture.create(api1);
            PanelClient onNode1 = PanelClient.browser(port(api1)).login(fixture.client1User.email(), Fixture.PASSWORD);
            String sessionOnNode1 = sessionCookie(onNode1);
            // With Redis the session made on node 1 is good on node 2 as it is; without, each node keeps its own
            // sessions and the user signs in on node 2 as well.
            String sessionOnNode2 = withRedis ? sessionOnNode1
                    : sessionCookie(PanelClient.browser(port(api2)).login(fixture.client1User.email(), Fixture.PASSWORD));
            Jobs jobs = api1.getBean(Jobs.class);
            SystemTransactions system = api1.getBean(SystemTransactions.class);
            Job job;
            // The job lists' streams are open before the job exists, so they hear every status change the worker makes;
            // the job's own streams open once it is queued, and catch up on any line they were too late for.
            try (EventStream overview1 = EventStream.withCookie(base(api1), "/events/jobs", sessionOnNode1, Map.of());
                 EventStream overview2 = EventStream.withCookie(base(api2), "/events/jobs", sessionOnNode2, Map.of())) {
                job = system.call(() -> jobs.enqueue(NewJob.of(fixture.client1.id(), TestJobTypes.STEPS, "Fan-out", fixture.client1User)
                        .with(Map.of("steps", 6, "delayMillis", 200))));
                try (EventStream log1 = EventStream.withCookie(base(api1), "/events/jobs/" + job.id(), sessionOnNode1, Map.of());
                     EventStream log2 = EventStream.withCookie(base(api2), "/events/jobs/" + job.id(), sessionOnNode2, Map.of())) {
                    for (EventStream stream : List.of(overview1, overview2, log1, log2)) {
                        assertThat(stream.status()).isEqualTo(200);
                    }
                    String statusOfJob = "status-" + job.id();
                    for (EventStream overview : List.of(overview1, overview2)) {
                        overview.await(event -> event.name().equals(statusOfJob) && event.data().contains(">succeeded<"), PATIENCE);
                        assertThat(overview.received(statusOfJob)).extracting(EventStream.Event::data)
                                .anyMatch(chip -> chip.contains(">queued<")).anyMatch(chip -> chip.contains(">running<"));
                    }
                    for (EventStream log : List.of(log1, log2)) {
                        log.await(event -> event.name().equals("summary") && event.data().equals("all 6 steps done"), PATIENCE);
                        List<EventStream.Event> lines = log.received("log");
                        assertThat(lines).extracting(EventStream.Event::data)
                                .anyMatch(line -> line.contains("step 1 of 6")).anyMatch(line -> line.contains("step 6 of 6"));
                        assertThat(lines).extracting(EventStream.Event::id).doesNotHaveDuplicates();
                        // The steps came one by one as the worker wrote them (200 ms apart), not in one read at the end.
                        Duration spread = Duration.between(arrivalOf(lines, "step 2 of 6"), arrivalOf(lines, "step 6 of 6"));
                        assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis(500));
                    }
                }
            }

            // The worker ran it, and only the worker: the record names the worker context, not either API node.
            Job done = Fixture.as(fixture.superadmin, () -> api2.getBean(Jobs.class).get(fixture.superadmin, job.id()));
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.worker()).isEqualTo(worker.getBean(JobScheduling.class).workerName())
                    .isNotEqualTo(api1.getBean(JobScheduling.class).workerName())
                    .isNotEqualTo(api2.getBean(JobScheduling.class).workerName());
        } finally {
            for (ConfigurableApplicationContext context : started.reversed()) {
                context.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(List<ConfigurableApplicationContext> started, String role, String database,
                                                        @Nullable String redisPrefix) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("vip.mode", "serve");
        settings.put("vip.role", role);
        settings.put("vip.database.url", database);
        settings.put("vip.database.user", "postgres");
        settings.put("vip.database.password", "");
        settings.put("vip.database.pool-size", "4");
        settings.put("vip.data-dir", Files.createTempDirectory("vip-fanout-" + role).toString());
        settings.put("vip.redis.url", redisPrefix == null ? "" : "redis://127.0.0.1:6379");
        settings.put("vip.redis.key-prefix", redisPrefix == null ? "vip:" : redisPrefix);
        settings.put("vip.security.rate-limit.login-per-ip-per-minute", "1000");
        settings.put("vip.security.rate-limit.login-per-account-per-minute", "100");
        settings.put("vip.security.hsts", "false");
        settings.put("vip.jobs.threads", "2");
        settings.put("vip.jobs.polling-interval", "500ms");
        settings.put("vip.jobs.heartbeat-interval", "750ms");
        settings.put("vip.jobs.missed-heartbeats", "4");
        settings.put("vip.jobs.shutdown-max-wait", "2s");
        settings.put("server.port", "0");
        settings.put("spring.jmx.enabled", "false");
        // Command-line arguments outrank the jar's application.yaml, as the VIP_* variables do in production.
        String[] args = settings.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(VipPanel.class)
                .web("worker".equals(role) ? WebApplicationType.NONE : WebApplicationType.SERVLET)
                .logStartupInfo(false)
                .run(args);
        started.add(context);
        return context;
    }

    private static Instant arrivalOf(List<EventStream.Event> lines, String text) {
        return lines.stream().filter(line -> line.data().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no log event with [" + text + "] in " + lines)).receivedAt();
    }

    /** The signed-in session as a Cookie header value, for a client that is not the one that signed in. */
    private static String sessionCookie(PanelClient client) {
        return client.cookie("VIPSESSION").map(value -> "VIPSESSION=" + value)
                .orElseThrow(() -> new AssertionError("the sign-in set no VIPSESSION cookie"));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + port(context);
    }
}
