package io.vippanel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points a test context at its own database, data directory and Redis key space. */
public class PanelTestInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String DATABASE_URL = TestDatabase.create("panel");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            String dataDir = Files.createTempDirectory("vip-test-data").toString();
            var sources = context.getEnvironment().getPropertySources();
            // Below a test class's own @TestPropertySource, above everything else.
            MapPropertySource testDefaults = new MapPropertySource("vip-test", Map.of(
                    "vip.database.url", DATABASE_URL,
                    "vip.database.user", "postgres",
                    "vip.database.password", "",
                    // Spring keeps every distinct test context (and its pool) alive until the run ends.
                    "vip.database.pool-size", "4",
                    "vip.redis.url", "redis://127.0.0.1:6379",
                    "vip.redis.key-prefix", "vip-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":",
                    "vip.data-dir", dataDir,
                    "vip.security.rate-limit.login-per-ip-per-minute", "1000",
                    "vip.security.rate-limit.login-per-account-per-minute", "100",
                    "vip.security.hsts", "false"));
            if (sources.contains("Inlined Test Properties")) {
                sources.addAfter("Inlined Test Properties", testDefaults);
            } else {
                sources.addFirst(testDefaults);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
