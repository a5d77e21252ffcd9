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
            MapPropertySource testDefaults = new MapPropertySource("vip-test", Map.ofEntries(
                    Map.entry("vip.database.url", DATABASE_URL),
                    Map.entry("vip.database.user", "postgres"),
                    Map.entry("vip.database.password", ""),
                    // Spring keeps every distinct test context (and its pool) alive until the run ends.
                    Map.entry("vip.database.pool-size", "4"),
                    Map.entry("vip.redis.url", "redis://127.0.0.1:6379"),
                    Map.entry("vip.redis.key-prefix", "vip-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ":"),
                    Map.entry("vip.data-dir", dataDir),
                    // Contexts sharing this database would otherwise all run job workers; job tests opt in
                    // with their own database (JobsTest).
                    Map.entry("vip.role", "api"),
                    Map.entry("vip.security.rate-limit.login-per-ip-per-minute", "1000"),
                    Map.entry("vip.security.rate-limit.login-per-account-per-minute", "100"),
                    Map.entry("vip.security.hsts", "false"),
                    // No test reaches a real cloud provider: calls fail at once (a closed port, no retries), and
                    // pages show N/A with the reason.
                    Map.entry("vip.providers.hetzner-url", "http://127.0.0.1:9"),
                    Map.entry("vip.providers.digitalocean-url", "http://127.0.0.1:9"),
                    Map.entry("vip.providers.vultr-url", "http://127.0.0.1:9"),
                    Map.entry("vip.providers.aws-endpoint", "http://127.0.0.1:9"),
                    Map.entry("vip.providers.aws-pricing-endpoint", "http://127.0.0.1:9"),
                    Map.entry("vip.providers.max-retries", "0"),
                    // The same for DNS providers (Cloudflare, Route 53, and PowerDNS servers that a test stores).
                    Map.entry("vip.dns.cloudflare-url", "http://127.0.0.1:9"),
                    Map.entry("vip.dns.route53-endpoint", "http://127.0.0.1:9"),
                    Map.entry("vip.dns.max-retries", "0"),
                    // and for the ACME CA: a directory that answers nothing instead of Let's Encrypt.
                    Map.entry("vip.ssl.acme-directory", "https://127.0.0.1:9/directory")));
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
