package io.vippanel.jobs;

import io.vippanel.platform.VipProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** A fast recurring schedule that records who ran it and when, for tests that start several workers. */
@Component
@ConditionalOnProperty(name = "vip.test.recurring-tick", havingValue = "true")
public class TestRecurringWork implements RecurringWork {

    /** One run: which database (so tests on other databases do not mix in), which worker, from when to when. */
    public record Run(String database, String runner, Instant start, Instant end) {
    }

    private static final Queue<Run> RUNS = new ConcurrentLinkedQueue<>();

    private final String database;
    private final String runner;

    public TestRecurringWork(VipProperties properties) {
        this.database = properties.database().url();
        this.runner = java.util.UUID.randomUUID().toString();
    }

    public static List<Run> runsOn(String database) {
        return RUNS.stream().filter(run -> run.database().equals(database)).toList();
    }

    @Override
    public String name() {
        return "test.tick";
    }

    @Override
    public Duration every() {
        return Duration.ofMillis(100);
    }

    @Override
    public void run() {
        Instant start = Instant.now();
        TestJobTypes.sleep(60);
        RUNS.add(new Run(database, runner, start, Instant.now()));
    }
}
