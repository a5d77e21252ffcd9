package io.vippanel.servers;

import io.vippanel.jobs.JobsTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Settings for tests that provision a {@code TestManagedServer} through the panel with a real worker. */
public final class ProvisioningTestProperties {

    private ProvisioningTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry, String purpose) {
        JobsTestProperties.register(registry, purpose);
        // The test host has no route out: the distribution's PHP and Node.js, which the machine has installed.
        registry.add("vip.servers.php-vendor-repo", () -> "false");
        registry.add("vip.servers.nodejs-from-distro", () -> "true");
        registry.add("vip.servers.ssh-wait-interval", () -> "500ms");
        registry.add("vip.servers.ssh-wait-timeout", () -> "60s");
    }
}
