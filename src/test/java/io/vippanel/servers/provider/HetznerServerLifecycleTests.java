package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.ProvisioningTestProperties;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A cloud server's whole life through the provider's API: the Hetzner stub "creates" a VM whose public address
 * is a real test host and, as cloud-init would, authorizes the uploaded panel key for root; the panel waits for
 * it, pins its host key, provisions it for real, then reboots and resizes it through the provider and deletes it
 * (VM and uploaded key gone at the provider).
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HetznerServerLifecycleTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final HetznerStub HETZNER = new HetznerStub();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "hetznerlife");
        registry.add("vip.providers.hetzner-url", HETZNER::baseUrl);
        registry.add("vip.providers.action-poll-interval", () -> "50ms");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    TestManagedServer host;
    JobWatch watch;
    PanelClient api;
    String serverId;

    @BeforeAll
    void setUp() throws Exception {
        TestManagedServer.assumeUsable();
        host = TestManagedServer.start();
        HETZNER.publicIpv4 = host.address();
        HETZNER.onCreate = keys -> keys.forEach(host::installAuthorizedKey);
        Fixture fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofMinutes(6));
        api = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
        HETZNER.close();
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private Job succeeded(JsonNode accepted) {
        Job job = watch.awaitFinal(accepted.path("jobId").asString());
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private JsonNode server() {
        return json(api.send("GET", "/api/v1/servers/" + serverId, null), 200);
    }

    @Test
    @Order(1)
    void theVmIsCreatedAtTheProviderPinnedAndProvisioned() {
        String account = json(api.send("POST", "/api/v1/provider-accounts", """
                {"kind": "hetzner", "name": "Hetzner", "token": "%s"}""".formatted(ProviderStub.TOKEN)), 201).path("id").asString();
        JsonNode created = json(api.send("POST", "/api/v1/servers", """
                {"provider": "%s", "name": "cloud-web-1", "region": "fsn1", "size": "cx22", "image": "UBUNTU_24_04",
                 "phpVersions": ["8.2"], "database": "none"}""".formatted(account)), 201);
        serverId = created.path("server").path("id").asString();
        Job job = succeeded(created);

        JsonNode server = server();
        assertThat(server.path("status").asString()).isEqualTo("ready");
        assertThat(server.path("ipv4").asString()).isEqualTo(host.address());
        assertThat(server.path("sshUser").asString()).as("the panel moved from root to its own admin user").isEqualTo("vippanel");
        String vmId = server.path("providerVmId").asString();
        assertThat(HETZNER.vms).containsKey(vmId);
        assertThat(HETZNER.vms.get(vmId).labels).containsEntry("vip-panel", serverId);
        assertThat(HETZNER.publicKeys.values()).anyMatch(key -> key.endsWith("vip-panel@" + serverId));
        assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("Pinned the host keys"));
    }

    @Test
    @Order(2)
    void rebootAndResizeGoThroughTheProvider() {
        succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/reboot", null), 202));
        assertThat(HETZNER.server.requests("POST", "/servers/\\d+/actions/reboot")).hasSize(1);

        succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/resize", "{\"size\": \"cx32\"}"), 202));
        JsonNode server = server();
        assertThat(server.path("size").asString()).isEqualTo("cx32");
        assertThat(server.path("status").asString()).isEqualTo("ready");
        assertThat(HETZNER.vms.get(server.path("providerVmId").asString()).size).isEqualTo("cx32");
    }

    @Test
    @Order(3)
    void deletingRemovesTheVmAndTheUploadedKeyAtTheProvider() {
        String vmId = server().path("providerVmId").asString();
        Job job = succeeded(json(api.send("DELETE", "/api/v1/servers/" + serverId + "?confirmName=cloud-web-1", null), 202));
        assertThat(HETZNER.vms).doesNotContainKey(vmId);
        assertThat(HETZNER.keys).isEmpty();
        assertThat(api.send("GET", "/api/v1/servers/" + serverId, null).statusCode()).isEqualTo(404);
        assertThat(job.result().path("removed").toString()).contains("VM " + vmId);
    }
}
