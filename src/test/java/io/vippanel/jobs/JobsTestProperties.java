package io.vippanel.jobs;

import io.vippanel.support.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Settings for tests that run jobs: their own database (so no other test context's worker takes their jobs), a worker
 * role, short timings. Such a context is never reused, so its class is {@code @DirtiesContext}: a cached one would keep
 * its pool, its LISTEN connection and its worker to the end of the run, and PostgreSQL's 100 connections run out.
 */
public final class JobsTestProperties {

    private JobsTestProperties() {
    }

    public static String register(DynamicPropertyRegistry registry, String purpose) {
        String database = TestDatabase.create(purpose);
        registry.add("vip.database.url", () -> database);
        registry.add("vip.database.pool-size", () -> "8");
        registry.add("vip.role", () -> "all");
        registry.add("vip.jobs.threads", () -> "4");
        registry.add("vip.jobs.polling-interval", () -> "500ms");
        registry.add("vip.jobs.heartbeat-interval", () -> "750ms");
        registry.add("vip.jobs.missed-heartbeats", () -> "4");
        registry.add("vip.jobs.shutdown-max-wait", () -> "2s");
        return database;
    }
}
