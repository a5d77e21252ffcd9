package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.SystemTransactions;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/servers} with personal API tokens. This context runs no jobs (role api), so every job stays
 * queued: the tests check what the API records and queues, and who may see and do what.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServersApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "one-time root pass 123";

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    /** Reads and writes past the API, in the system scope. */
    JdbcClient owner;
    SystemTransactions system;
    PanelClient client1;
    PanelClient client2;
    PanelClient reseller1;
    PanelClient reseller2;
    int serial;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        client1 = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        client2 = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        reseller1 = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        reseller2 = PanelClient.api(port, fixture.tokenOf(fixture.reseller2User));
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private String customServer(String name, String extra) {
        return """
                {"provider": "custom", "name": "%s", "image": "DEBIAN_12", "address": "10.99.%d.%d", "sshPort": 22,
                 "sshUser": "root", "authMethod": "password", "password": "%s", "phpVersions": ["8.2"], "database": "mariadb",
                 "redis": true %s}""".formatted(name, serial / 200, 1 + serial++ % 200, PASSWORD, extra);
    }

    private JsonNode create(PanelClient as, String name) {
        return json(as.send("POST", "/api/v1/servers", customServer(name, "")), 201);
    }

    private String makeReady(String serverId) {
        system.run(() -> owner.sql("""
                UPDATE servers SET status = 'ready', host_keys = '10.99.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
                                   ssh_user = admin_user WHERE id = :id""").param("id", serverId).update());
        return serverId;
    }

    private long count(String sql, Object... params) {
        return system.call(() -> owner.sql(sql).params(List.of(params)).query(Long.class).single());
    }

    @Test
    void creatingACustomServerRecordsItQueuedWithItsJobAndKeepsTheSecretOutOfSight() {
        String key = SshKeyMaterial.generateEd25519("alice@laptop").publicKeyLine();
        JsonNode created = json(client1.send("POST", "/api/v1/servers", customServer("web-api-1", ", \"sshKeys\": \"" + key + "\"")), 201);
        JsonNode server = created.path("server");
        String id = server.path("id").asString();
        assertThat(id).startsWith("srv_");
        assertThat(server.path("status").asString()).isEqualTo("queued");
        assertThat(server.path("provider").asString()).isEqualTo("custom");
        assertThat(server.path("stack").path("phpVersions").get(0).asString()).isEqualTo("8.2");
        assertThat(server.path("panelKeyFingerprint").asString()).startsWith("SHA256:");
        assertThat(created.toString()).doesNotContain(PASSWORD).doesNotContain("PRIVATE KEY");

        String jobId = created.path("jobId").asString();
        JsonNode job = json(client1.send("GET", "/api/v1/jobs/" + jobId, null), 200);
        assertThat(job.path("type").asString()).isEqualTo("servers.provision");
        assertThat(job.path("targetId").asString()).isEqualTo(id);
        assertThat(job.path("status").asString()).isEqualTo("queued");
        assertThat(job.toString()).doesNotContain(PASSWORD);

        Map<String, Object> row = system.call(() -> owner.sql(
                "SELECT bootstrap_secret, bootstrap_kind, panel_private_key, database_root_password FROM servers WHERE id = ?")
                .param(id).query().singleRow());
        assertThat(row.get("bootstrap_kind")).isEqualTo("password");
        assertThat(String.valueOf(row.get("bootstrap_secret"))).doesNotContain(PASSWORD).isNotBlank();
        assertThat(String.valueOf(row.get("panel_private_key"))).doesNotContain("PRIVATE");
        assertThat(row.get("database_root_password")).isNotNull();
        assertThat(count("SELECT count(*) FROM server_ssh_keys WHERE server_id = ? AND status = 'pending'", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'server.create' AND target_id = ?", id)).isEqualTo(1);
    }

    @Test
    void serversStayInsideTheirTenantTree() {
        String id = create(client1, "iso-1").path("server").path("id").asString();

        assertThat(json(reseller1.send("GET", "/api/v1/servers/" + id, null), 200).path("id").asString()).isEqualTo(id);
        assertThat(client2.send("GET", "/api/v1/servers/" + id, null).statusCode()).isEqualTo(404);
        assertThat(reseller2.send("GET", "/api/v1/servers/" + id, null).statusCode()).isEqualTo(404);
        assertThat(json(client2.send("GET", "/api/v1/servers?limit=200", null), 200).toString()).doesNotContain(id);
        assertThat(json(reseller1.send("GET", "/api/v1/servers?q=iso-1", null), 200).toString()).contains(id);

        makeReady(id);
        for (String[] call : new String[][] {{"POST", "/actions/reboot", null}, {"POST", "/actions/rotate-key", null},
                {"POST", "/ssh-keys", "{\"publicKey\": \"" + SshKeyMaterial.generateEd25519("x").publicKeyLine() + "\"}"},
                {"POST", "/firewall-rules", "{\"port\": \"8080\"}"}, {"DELETE", "?confirmName=iso-1", null},
                {"POST", "/actions/database-password", null}}) {
            HttpResponse<String> response = client2.send(call[0], "/api/v1/servers/" + id + call[1], call[2]);
            assertThat(response.statusCode()).as(call[0] + " " + call[1] + ": " + response.body()).isEqualTo(404);
            assertThat(response.body()).doesNotContain("iso-1");
        }
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ?", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM servers WHERE id = ? AND status = 'ready'", id)).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedFieldByFieldAndCreatesNothing() {
        long before = count("SELECT count(*) FROM servers");
        String[][] cases = {
                {"{\"provider\": \"custom\", \"name\": \"-bad\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\"}", "name"},
                {"{\"provider\": \"custom\", \"name\": \"ok1\", \"image\": \"DEBIAN_12\", \"address\": \"999.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\"}", "address"},
                {"{\"provider\": \"custom\", \"name\": \"ok2\", \"image\": \"DEBIAN_12\", \"address\": \"example.com\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\"}", "address"},
                {"{\"provider\": \"custom\", \"name\": \"ok3\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshPort\": 70000, \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\"}", "sshPort"},
                {"{\"provider\": \"custom\", \"name\": \"ok4\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"-oProxyCommand=x\", \"authMethod\": \"password\", \"password\": \"x\"}", "sshUser"},
                {"{\"provider\": \"custom\", \"name\": \"ok5\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"key\", \"privateKey\": \"not a key\"}", "privateKey"},
                {"{\"provider\": \"custom\", \"name\": \"ok6\", \"image\": \"WINDOWS\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\"}", "image"},
                {"{\"provider\": \"custom\", \"name\": \"ok7\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\", \"sshKeys\": \"ssh-rsa AAAAB3NzaC1yc2E\"}", "sshKeys"},
                {"{\"provider\": \"custom\", \"name\": \"ok8\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\", \"phpVersions\": [\"5.6\"]}", "phpVersions"},
                {"{\"provider\": \"custom\", \"name\": \"ok9\", \"image\": \"DEBIAN_12\", \"address\": \"10.1.1.1\", \"sshUser\": \"root\", \"authMethod\": \"password\", \"password\": \"x\", \"database\": \"oracle\"}", "database"},
                {"{\"provider\": \"pac_aaaaaaaaaaaaaaaaaaaa\", \"name\": \"ok10\", \"image\": \"DEBIAN_12\", \"region\": \"fsn1\", \"size\": \"cx22\"}", "provider"},
                {"{\"provider\": \"'; DROP TABLE servers; --\", \"name\": \"ok11\", \"image\": \"DEBIAN_12\"}", "provider"},
        };
        for (String[] bad : cases) {
            HttpResponse<String> response = client1.send("POST", "/api/v1/servers", bad[0]);
            assertThat(response.statusCode()).as(bad[0] + " → " + response.body()).isEqualTo(422);
            assertThat(JSON.readTree(response.body()).path("errors").has(bad[1])).as(response.body()).isTrue();
            assertThat(response.body()).doesNotContain("Exception", "at io.vippanel");
        }
        assertThat(client1.send("POST", "/api/v1/servers", "{not json").statusCode()).isEqualTo(400);
        create(client1, "taken-name");
        assertThat(JSON.readTree(client1.send("POST", "/api/v1/servers", customServer("taken-name", "")).body()).path("errors").has("name")).isTrue();
        assertThat(count("SELECT count(*) FROM servers")).isEqualTo(before + 1);
    }

    @Test
    void anotherTenantsProviderAccountCannotBeUsed() {
        String foreign = insertAccount(fixture.client2.id(), false);
        HttpResponse<String> response = client1.send("POST", "/api/v1/servers", """
                {"provider": "%s", "name": "foreign-1", "image": "DEBIAN_12", "region": "fsn1", "size": "cx22"}""".formatted(foreign));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body()).contains("Choose one of the provider accounts");
        assertThat(client1.send("GET", "/api/v1/provider-accounts/" + foreign, null).statusCode()).isEqualTo(404);
        assertThat(client1.send("DELETE", "/api/v1/provider-accounts/" + foreign, null).statusCode()).isEqualTo(404);
        assertThat(client1.send("POST", "/api/v1/provider-accounts/" + foreign + "/test", null).statusCode()).isEqualTo(404);
        assertThat(client1.send("GET", "/api/v1/provider-accounts/" + foreign + "/catalog", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSharedAccountIsUsableBelowItsOwnerButNeitherReadableNorChangeable() {
        String shared = insertAccount(fixture.reseller1.id(), true);
        String privateOne = insertAccount(fixture.reseller1.id(), false);
        JsonNode seen = json(client1.send("GET", "/api/v1/provider-accounts", null), 200);
        assertThat(seen.toString()).contains(shared).doesNotContain(privateOne).doesNotContain("credentials");
        assertThat(json(client1.send("GET", "/api/v1/provider-accounts/" + shared, null), 200).path("owned").asBoolean()).isFalse();
        assertThat(client1.send("DELETE", "/api/v1/provider-accounts/" + shared, null).statusCode()).isEqualTo(404);
        assertThat(json(client2.send("GET", "/api/v1/provider-accounts", null), 200).toString()).doesNotContain(shared);
        assertThat(json(reseller1.send("GET", "/api/v1/provider-accounts/" + shared, null), 200).path("owned").asBoolean()).isTrue();
    }

    @Test
    void theServerLimitOfATenantAboveIsEnforced() {
        system.run(() -> owner.sql("""
                UPDATE tenants SET max_servers = (SELECT count(*) FROM servers s JOIN tenants t ON t.id = s.tenant_id
                                                   WHERE starts_with(t.path, (SELECT path FROM tenants WHERE id = :id)))
                 WHERE id = :id""").param("id", fixture.reseller2.id()).update());
        try {
            HttpResponse<String> response = client2.send("POST", "/api/v1/servers", customServer("over-limit", ""));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            assertThat(response.body()).contains("server limit").contains(fixture.reseller2.name());
        } finally {
            system.run(() -> owner.sql("UPDATE tenants SET max_servers = NULL WHERE id = ?")
                    .param(fixture.reseller2.id()).update());
        }
        create(client2, "under-limit");
    }

    @Test
    void dayTwoChangesAreRecordedPendingAndQueuedOnlyOnAReadyServer() {
        String id = create(client1, "day-two").path("server").path("id").asString();
        String key = SshKeyMaterial.generateEd25519("bob@desk").publicKeyLine();
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/actions/reboot", null).statusCode()).isEqualTo(422);
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/ssh-keys", "{\"publicKey\": \"" + key + "\"}").statusCode()).isEqualTo(422);
        makeReady(id);

        JsonNode added = json(client1.send("POST", "/api/v1/servers/" + id + "/ssh-keys", "{\"name\": \"Bob\", \"publicKey\": \"" + key + "\"}"), 202);
        assertThat(added.path("status").asString()).isEqualTo("pending");
        assertThat(added.path("fingerprint").asString()).startsWith("SHA256:");
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/ssh-keys", "{\"publicKey\": \"" + key + "\"}").body()).contains("already on the server");
        json(client1.send("DELETE", "/api/v1/servers/" + id + "/ssh-keys/" + added.path("id").asString(), null), 202);
        assertThat(json(client1.send("GET", "/api/v1/servers/" + id + "/ssh-keys", null), 200).get(0).path("status").asString()).isEqualTo("removing");

        JsonNode rule = json(client1.send("POST", "/api/v1/servers/" + id + "/firewall-rules",
                "{\"port\": \"8000-8100\", \"protocol\": \"tcp\", \"source\": \"10.0.0.0/8\", \"comment\": \"app\"}"), 202);
        assertThat(rule.path("port").asString()).isEqualTo("8000:8100");
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/firewall-rules", "{\"port\": \"8000:8100\", \"source\": \"10.0.0.0/8\"}").statusCode()).isEqualTo(422);
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/firewall-rules", "{\"port\": \"22\"}").body()).contains("always open");
        for (String bad : new String[] {"{\"port\": \"0\"}", "{\"port\": \"80; ufw disable\"}", "{\"port\": \"8080\", \"source\": \"evil.example\"}",
                "{\"port\": \"8080\", \"protocol\": \"icmp\"}", "{\"port\": \"8080\", \"comment\": \"$(reboot)\"}"}) {
            assertThat(client1.send("POST", "/api/v1/servers/" + id + "/firewall-rules", bad).statusCode()).as(bad).isEqualTo(422);
        }
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/actions/restart-service", "{\"service\": \"sshd; reboot\"}").statusCode()).isEqualTo(422);
        json(client1.send("POST", "/api/v1/servers/" + id + "/actions/restart-service", "{\"service\": \"nginx\"}"), 202);
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/actions/php", "{\"versions\": [\"7.0\"]}").statusCode()).isEqualTo(422);
        json(client1.send("POST", "/api/v1/servers/" + id + "/actions/php", "{\"versions\": [\"8.3\"], \"defaultVersion\": \"8.3\"}"), 202);
        assertThat(client1.send("POST", "/api/v1/servers/" + id + "/actions/resize", "{\"size\": \"cx32\"}").body()).contains("custom server");

        String password = json(client1.send("POST", "/api/v1/servers/" + id + "/actions/database-password", null), 200).path("password").asString();
        assertThat(password).hasSize(32);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'server.database_password_shown' AND target_id = ?", id)).isEqualTo(1);

        assertThat(client1.send("DELETE", "/api/v1/servers/" + id + "?confirmName=day-tw0", null).statusCode()).isEqualTo(422);
        json(client1.send("DELETE", "/api/v1/servers/" + id + "?confirmName=day-two", null), 202);
        assertThat(json(client1.send("GET", "/api/v1/servers/" + id, null), 200).path("status").asString()).isEqualTo("deleting");
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ? AND type = 'servers.delete'", id)).isEqualTo(1);
    }

    private String insertAccount(String tenantId, boolean shared) {
        String id = io.vippanel.platform.Ids.newId("pac");
        String sealed = context.getBean(io.vippanel.platform.crypto.SecretBox.class)
                .encrypt("{\"token\":\"test-token-0123456789\"}", ProviderAccounts.CREDENTIALS_COLUMN.boundTo(id));
        system.run(() -> owner.sql("""
                INSERT INTO provider_accounts (id, tenant_id, owner_path, kind, name, shared, credentials, credential_hint, created_at)
                VALUES (:id, :tenant, (SELECT path FROM tenants WHERE id = :tenant), 'hetzner', :name, :shared, :sealed, '…6789', now())
                """).param("id", id).param("tenant", tenantId).param("name", "Account " + id).param("shared", shared)
                .param("sealed", sealed).update());
        return id;
    }
}
