package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.support.PanelClient;
import io.vippanel.support.TestManagedServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link TestManagedServer} provisioned through the panel's REST API as a custom server (MariaDB, the machine's PHP,
 * Node.js from the distribution) and {@code ready}, for tests of what runs on servers. Needs a context registered
 * with {@code ProvisioningTestProperties} (a real worker). Close it in {@code @AfterAll}.
 */
public final class ReadyServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PROVISIONING = Duration.ofMinutes(6);

    private final TestManagedServer host;
    private final String id;

    private ReadyServer(TestManagedServer host, String id) {
        this.host = host;
        this.id = id;
    }

    /** Starts a test host and provisions it as {@code name} for the tenant of the API client's token. */
    public static ReadyServer provision(PanelClient api, JobWatch watch, String name) throws Exception {
        TestManagedServer.assumeUsable();
        TestManagedServer host = TestManagedServer.start();
        try {
            HttpResponse<String> response = api.send("POST", "/api/v1/servers", """
                    {"provider": "custom", "name": "%s", "image": "DEBIAN_12", "address": "%s", "sshPort": %d,
                     "sshUser": "root", "authMethod": "password", "password": "%s", "phpVersions": ["%s"],
                     "phpDefaultVersion": "%s", "database": "mariadb", "nodejs": true, "redis": false}"""
                    .formatted(name, host.address(), host.port(), host.rootPassword(), phpVersion(), phpVersion()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode created = JSON.readTree(response.body());
            Job job = watch.awaitFinal(created.path("jobId").asString());
            assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                    String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
            return new ReadyServer(host, created.path("server").path("id").asString());
        } catch (Exception | AssertionError e) {
            host.close();
            throw e;
        }
    }

    /** How long to wait for provisioning in a {@link JobWatch}. */
    public static Duration patience() {
        return PROVISIONING;
    }

    /** The PHP version the machine (and so every test host) has, e.g. {@code 8.2}. */
    public static String phpVersion() throws IOException {
        try (Stream<Path> binaries = Files.list(Path.of("/usr/sbin"))) {
            return binaries.map(path -> path.getFileName().toString()).filter(name -> name.matches("php-fpm[0-9]+\\.[0-9]+"))
                    .map(name -> name.substring("php-fpm".length())).sorted().reduce((first, second) -> second)
                    .orElseThrow(() -> new IllegalStateException("no php-fpm installed (apt-get install -y php-fpm)"));
        }
    }

    public String id() {
        return id;
    }

    public TestManagedServer host() {
        return host;
    }

    public String address() {
        return host.address();
    }

    @Override
    public void close() {
        host.close();
    }
}
