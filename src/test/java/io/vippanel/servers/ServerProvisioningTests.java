package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.HostKeyScanner;
import io.vippanel.automation.ManagedHost;
import io.vippanel.automation.Outcome;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.automation.SshCredential;
import io.vippanel.automation.SshKey;
import io.vippanel.automation.SshPassword;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import io.vippanel.tenancy.SystemTransactions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The whole custom-server lifecycle through the REST API with a real worker, real ansible over real SSH, against a
 * test host in its own namespaces: provisioning from a one-time root password, checks from outside (nginx, PHP-FPM,
 * the database with the stored password, node_exporter, password login refused, fail2ban), a second run with zero
 * changes, people's keys, firewall rules, services, key rotation, and forgetting the server.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerProvisioningTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PROVISIONING = Duration.ofMinutes(6);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "provisioning");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    SshCommandRunner ssh;

    TestManagedServer host;
    Fixture fixture;
    JobWatch watch;
    PanelClient api;
    SshKeyMaterial.KeyPair alice = SshKeyMaterial.generateEd25519("alice@laptop");
    String serverId;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void setUp() throws Exception {
        TestManagedServer.assumeUsable();
        host = TestManagedServer.start();
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, PROVISIONING);
        api = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private JsonNode server() {
        return json(api.send("GET", "/api/v1/servers/" + serverId, null), 200);
    }

    /** Waits for the job an API call started and requires it to succeed, showing its log when it did not. */
    private Job succeeded(JsonNode accepted) {
        Job job = watch.awaitFinal(accepted.path("jobId").asString());
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private CommandResult login(String user, SshCredential credential, String command) {
        ManagedHost target = new ManagedHost(host.address(), host.port(), user, host.hostKeyLine());
        return ssh.run(target, credential, command, Duration.ofSeconds(30), RunListener.NONE);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void aCustomServerIsProvisionedFromAOneTimePasswordAndWorksFromOutside() throws Exception {
        JsonNode created = json(api.send("POST", "/api/v1/servers", """
                {"provider": "custom", "name": "e2e-web-1", "image": "DEBIAN_12", "address": "%s", "sshPort": %d,
                 "sshUser": "root", "authMethod": "password", "password": "%s", "phpVersions": ["8.2"], "phpDefaultVersion": "8.2",
                 "database": "mariadb", "nodejs": true, "redis": true, "sshKeys": "%s"}"""
                .formatted(host.address(), host.port(), host.rootPassword(), alice.publicKeyLine())), 201);
        serverId = created.path("server").path("id").asString();
        Job job = succeeded(created);

        JsonNode server = server();
        assertThat(server.path("status").asString()).isEqualTo("ready");
        assertThat(server.path("sshUser").asString()).isEqualTo("vippanel");
        assertThat(server.path("hostKeyFingerprints").toString())
                .contains(HostKeyScanner.sha256Fingerprint(host.hostKeyLine().split(" ")[2]));
        assertThat(job.result().path("checks").toString()).contains("nginx answers on port 80", "PHP-FPM runs PHP", "node_exporter answers");
        assertThat(job.result().path("timings").path("playbookMillis").asLong()).isPositive();
        assertThat(watch.lines(job.id())).noneMatch(line -> line.contains(host.rootPassword()));
        long secretsLeft = context.getBean(SystemTransactions.class).call(() -> JdbcClient.create(context.getBean(DataSource.class))
                .sql("SELECT count(*) FROM servers WHERE id = ? AND bootstrap_secret IS NOT NULL").param(serverId).query(Long.class).single());
        assertThat(secretsLeft).as("the one-time password is deleted once the panel's key is in").isZero();

        // From outside, as visitors and the panel see it.
        String base = "http://" + host.address();
        assertThat(get(base + "/.vip/health.php").body()).contains("8.2");
        assertThat(get(base + ":9100/metrics").body()).contains("node_cpu_seconds_total");
        assertThat(login("root", SshPassword.of(host.rootPassword()), "true").outcome())
                .as("password logins are off").isEqualTo(Outcome.UNREACHABLE);
        CommandResult aliceIn = login("vippanel", SshKey.of(alice.privateKeyPem()), "sudo -n true && echo sudo-ok");
        assertThat(aliceIn.stdout()).as(aliceIn.failureMessage()).contains("sudo-ok");
        String password = json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/database-password", null), 200)
                .path("password").asString();
        // Over TCP as the database admin account the playbook makes with that password, so the password is what counts
        // (root@localhost also logs in through the socket as the system's root, password or not).
        TestManagedServer.ExecResult database = host.exec("mysql -h 127.0.0.1 -uvipadmin -p'" + password + "' -N -e 'SELECT 40 + 2'");
        assertThat(database.output()).as(database.output()).contains("42");
        assertThat(host.exec("mysql -h 127.0.0.1 -uvipadmin -pwrong-password -e 'SELECT 1'").succeeded()).isFalse();
        TestManagedServer.ExecResult fail2ban = host.exec("fail2ban-client status sshd");
        assertThat(fail2ban.succeeded()).as(fail2ban.output()).isTrue();
        List<String> skipped = server.path("facts").path("skippedChecks").valueStream().map(JsonNode::asString).toList();
        skipped.forEach(item -> System.out.println("[provisioning] not checked on this test host: " + item));
    }

    @Test
    @Order(2)
    void provisioningAgainChangesNothing() {
        Job again = succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/reprovision", null), 202));
        assertThat(again.result().path("changed").asInt()).as("changed on the second run: %s", again.result().path("changedTasks")).isZero();
        assertThat(server().path("status").asString()).isEqualTo("ready");
    }

    @Test
    @Order(3)
    void peoplesKeysAndFirewallRulesAreAppliedAndRemoved() {
        SshKeyMaterial.KeyPair bob = SshKeyMaterial.generateEd25519("bob@desk");
        JsonNode key = json(api.send("POST", "/api/v1/servers/" + serverId + "/ssh-keys",
                "{\"name\": \"Bob\", \"publicKey\": \"" + bob.publicKeyLine() + "\"}"), 202);
        succeeded(jobOf("servers.ssh-keys"));
        assertThat(login("vippanel", SshKey.of(bob.privateKeyPem()), "true").succeeded()).isTrue();
        assertThat(json(api.send("GET", "/api/v1/servers/" + serverId + "/ssh-keys", null), 200).toString()).contains("installed");

        succeeded(json(api.send("DELETE", "/api/v1/servers/" + serverId + "/ssh-keys/" + key.path("id").asString(), null), 202));
        assertThat(login("vippanel", SshKey.of(bob.privateKeyPem()), "true").succeeded()).isFalse();
        assertThat(login("vippanel", SshKey.of(alice.privateKeyPem()), "true").succeeded()).isTrue();

        json(api.send("POST", "/api/v1/servers/" + serverId + "/firewall-rules",
                "{\"port\": \"8080\", \"protocol\": \"tcp\", \"source\": \"10.0.0.0/8\", \"comment\": \"app\"}"), 202);
        succeeded(jobOf("servers.firewall"));
        TestManagedServer.ExecResult ufw = host.exec("ufw status");
        assertThat(ufw.output()).as(ufw.output()).contains("8080/tcp").contains("10.0.0.0/8");
        String ruleId = json(api.send("GET", "/api/v1/servers/" + serverId + "/firewall-rules", null), 200).get(0).path("id").asString();
        succeeded(json(api.send("DELETE", "/api/v1/servers/" + serverId + "/firewall-rules/" + ruleId, null), 202));
        assertThat(host.exec("ufw status").output()).doesNotContain("8080/tcp").contains("22/tcp");
        assertThat(json(api.send("GET", "/api/v1/servers/" + serverId + "/firewall-rules", null), 200).size()).isZero();
    }

    @Test
    @Order(4)
    void servicesAreReadAndRestarted() {
        succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/restart-service", "{\"service\": \"nginx\"}"), 202));
        succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/refresh-services", null), 202));
        JsonNode services = server().path("services");
        assertThat(services.path("nginx").asString()).isEqualTo("active");
        assertThat(services.path("mariadb").asString()).isEqualTo("active");
    }

    @Test
    @Order(5)
    void rotatingThePanelKeyReplacesItOnTheServer() {
        String before = server().path("panelKeyFingerprint").asString();
        Job rotation = succeeded(json(api.send("POST", "/api/v1/servers/" + serverId + "/actions/rotate-key", null), 202));
        assertThat(server().path("panelKeyFingerprint").asString()).isNotEqualTo(before);
        assertThat(watch.lines(rotation.id())).anyMatch(line -> line.contains("The new key logs in"));
        TestManagedServer.ExecResult keys = host.exec("cat /home/vippanel/.ssh/authorized_keys");
        assertThat(keys.output()).contains(alice.publicKeyLine().split(" ")[1]).hasLineCount(2);
    }

    @Test
    @Order(6)
    void deletingACustomServerOnlyForgetsIt() throws Exception {
        assertThat(api.send("DELETE", "/api/v1/servers/" + serverId + "?confirmName=wrong", null).statusCode()).isEqualTo(422);
        succeeded(json(api.send("DELETE", "/api/v1/servers/" + serverId + "?confirmName=e2e-web-1", null), 202));
        assertThat(api.send("GET", "/api/v1/servers/" + serverId, null).statusCode()).isEqualTo(404);
        assertThat(get("http://" + host.address() + "/.vip/health.php").statusCode()).as("the machine keeps running").isEqualTo(200);
    }

    private JsonNode jobOf(String type) {
        JsonNode items = json(api.send("GET", "/api/v1/jobs?target=" + serverId + "&type=" + type + "&limit=1", null), 200).path("items");
        assertThat(items.size()).as("a %s job for %s", type, serverId).isPositive();
        return JSON.createObjectNode().put("jobId", items.get(0).path("id").asString());
    }
}
