package io.vippanel.servers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.jobs.JobsTestProperties;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The panel with a worker against a stub of Hetzner Cloud's API: accounts checked live, catalogs with prices,
 * region and size checked against the catalog, provider outages answered 503 with the provider's words, and a
 * provider failure mid-create that leaves the server failed with the reason and no VM left unmentioned.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HetznerServerFlowTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final HetznerStub HETZNER = new HetznerStub();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "hetznerflow");
        registry.add("vip.providers.hetzner-url", HETZNER::baseUrl);
        registry.add("vip.providers.retry-base", () -> "10ms");
        registry.add("vip.providers.max-retries", () -> "1");
        registry.add("vip.providers.max-retry-wait", () -> "1s");
        registry.add("vip.providers.action-poll-interval", () -> "50ms");
        registry.add("vip.servers.ssh-wait-timeout", () -> "3s");
        registry.add("vip.servers.ssh-wait-interval", () -> "200ms");
        registry.add("vip.automation.connect-timeout", () -> "2s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JobWatch watch;
    PanelClient client1;
    PanelClient client2;
    String account;
    int serial;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(60));
        client1 = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        client2 = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        account = json(client1.send("POST", "/api/v1/provider-accounts", accountJson("Hetzner main", ProviderStub.TOKEN)), 201)
                .path("id").asString();
    }

    @AfterAll
    void stopStub() {
        HETZNER.close();
    }

    private static String accountJson(String name, String token) {
        return """
                {"kind": "hetzner", "name": "%s", "token": "%s"}""".formatted(name, token);
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private String cloudServer(String accountId, String region, String size) {
        return """
                {"provider": "%s", "name": "cloud-%d", "region": "%s", "size": "%s", "image": "UBUNTU_24_04",
                 "phpVersions": ["8.3"], "database": "mariadb"}""".formatted(accountId, serial++, region, size);
    }

    @Test
    void anAccountIsCheckedLiveStoredEncryptedAndOffersItsCatalogWithPrices() {
        HttpResponse<String> refused = client1.send("POST", "/api/v1/provider-accounts", accountJson("Wrong token", "not-the-right-token-1234"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("errors").path("token").asString())
                .contains("Hetzner Cloud: unable to authenticate").doesNotContain("not-the-right-token");

        JsonNode shown = json(client1.send("GET", "/api/v1/provider-accounts/" + account, null), 200);
        assertThat(shown.path("credentialHint").asString()).isEqualTo("…" + ProviderStub.TOKEN.substring(ProviderStub.TOKEN.length() - 4));
        assertThat(shown.path("lastCheckOk").asBoolean()).isTrue();
        assertThat(shown.toString()).doesNotContain(ProviderStub.TOKEN);

        JsonNode catalog = json(client1.send("GET", "/api/v1/provider-accounts/" + account + "/catalog", null), 200);
        assertThat(catalog.path("regions").valueStream().map(region -> region.path("id").asString())).contains("fsn1", "ash");
        JsonNode cx22 = catalog.path("sizes").valueStream().filter(size -> size.path("id").asString().equals("cx22")).findFirst().orElseThrow();
        assertThat(cx22.path("currency").asString()).isEqualTo("EUR");
        assertThat(cx22.path("monthlyPrice").decimalValue()).isPositive();
        assertThat(catalog.path("images").valueStream().map(image -> image.path("os").asString())).contains("UBUNTU_24_04", "DEBIAN_12");

        assertThat(json(client1.send("POST", "/api/v1/provider-accounts/" + account + "/test", null), 200).path("lastCheckOk").asBoolean()).isTrue();
        assertThat(client2.send("GET", "/api/v1/provider-accounts/" + account + "/catalog", null).statusCode()).isEqualTo(404);
    }

    @Test
    void regionAndSizeMustBeOfferedByTheAccount() {
        HttpResponse<String> noRegion = client1.send("POST", "/api/v1/servers", cloudServer(account, "xx9", "cx22"));
        assertThat(noRegion.statusCode()).isEqualTo(422);
        assertThat(noRegion.body()).contains("has no region");
        HttpResponse<String> notHere = client1.send("POST", "/api/v1/servers", cloudServer(account, "ash", "cx22"));
        assertThat(notHere.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(notHere.body()).path("errors").path("size").asString()).contains("not offered in ash");
    }

    @Test
    void aProviderOutageIsAnsweredWithTheProvidersWordsNotAServerError() {
        String fresh = json(client1.send("POST", "/api/v1/provider-accounts", accountJson("Hetzner outage", ProviderStub.TOKEN)), 201)
                .path("id").asString();
        HETZNER.server.failNext(10, Reply.json(503, Map.of("error", Map.of("code", "unavailable", "message", "service temporarily unavailable"))));
        HttpResponse<String> catalog = client1.send("GET", "/api/v1/provider-accounts/" + fresh + "/catalog", null);
        assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(503);
        assertThat(catalog.body()).contains("Hetzner Cloud").contains("service temporarily unavailable");
        HETZNER.server.clearFaults();
        assertThat(json(client1.send("GET", "/api/v1/provider-accounts/" + fresh + "/catalog", null), 200).path("sizes").size()).isPositive();
    }

    @Test
    void aRefusedCreateLeavesTheServerFailedWithTheProvidersMessageAndNoVm() {
        int vmsBefore = HETZNER.vms.size();
        HETZNER.refuseNextCreate = Reply.json(403, Map.of("error", Map.of("code", "resource_limit_exceeded",
                "message", "server limit exceeded for this project")));
        String serverId = json(client1.send("POST", "/api/v1/servers", cloudServer(account, "fsn1", "cx22")), 201)
                .path("server").path("id").asString();

        JsonNode server = awaitServer(serverId, "failed");
        assertThat(server.path("statusNote").asString()).contains("server limit exceeded for this project").contains("resource_limit_exceeded");
        assertThat(server.path("failedStep").asString()).isEqualTo("Create the VM");
        assertThat(server.path("providerVmId").isNull()).isTrue();
        assertThat(HETZNER.vms).hasSize(vmsBefore);
    }

    @Test
    void aVmThatNeverBecomesUsableIsDeletedAgainAndTheNoteSaysSo() {
        HETZNER.bootPolls = 1_000_000;
        try {
            String serverId = json(client1.send("POST", "/api/v1/servers", cloudServer(account, "nbg1", "cx22")), 201)
                    .path("server").path("id").asString();
            JsonNode server = awaitServer(serverId, "failed");
            assertThat(server.path("failedStep").asString()).isEqualTo("Wait for the VM to run");
            assertThat(server.path("statusNote").asString()).contains("did not come up").contains("was deleted again");
            assertThat(HETZNER.vms.values()).noneMatch(vm -> serverId.equals(vm.labels.get("vip-panel")));
            Job job = watch.current(server.path("lastJobId").asString());
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("Deleted VM"));
        } finally {
            HETZNER.bootPolls = 1;
        }
    }

    private JsonNode awaitServer(String serverId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode server;
        do {
            server = json(client1.send("GET", "/api/v1/servers/" + serverId, null), 200);
            if (server.path("status").asString().equals(status)) {
                return server;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("server " + serverId + " did not become " + status + ": " + server);
    }
}
