package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.internal.ServerEvents;
import io.vippanel.support.EventStream;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
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

/**
 * The servers and provider accounts pages over HTTP, as a browser without JavaScript and as HTMX: every role sees
 * them, the wizard creates a custom server and its provisioning job together, refusals keep what was typed (but
 * never the secrets), nobody reaches another tenant's server, and the live stream tells only those who may see.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServersPagesTests {

    private static final Map<String, String> HTMX = Map.of("HX-Request", "true");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    ServerFixtures servers;
    JdbcClient jdbc;
    SystemTransactions system;
    Map<String, PanelClient> browsers;
    PanelClient client1;
    PanelClient client2;
    Server own;
    Server foreign;
    String account;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        servers = new ServerFixtures(context);
        jdbc = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        browsers = new LinkedHashMap<>();
        for (Actor actor : List.of(fixture.superadmin, fixture.admin, fixture.reseller1User, fixture.client1User)) {
            browsers.put(actor.role().dbValue(), PanelClient.browser(port).login(actor.email(), Fixture.PASSWORD));
        }
        client1 = browsers.get("client");
        client2 = PanelClient.browser(port).login(fixture.client2User.email(), Fixture.PASSWORD);
        String tag = fixture.client1.id().substring(4, 10).toLowerCase();
        own = servers.readyServer(fixture.client1User, "web-" + tag, "198.51.100.10");
        foreign = servers.readyServer(fixture.client2User, "other-" + tag, "198.51.100.11");
        account = servers.providerAccount(fixture.client1, "Hetzner " + tag);
    }

    @Test
    void everyRoleSeesTheServersAndProviderPages() {
        browsers.forEach((role, browser) -> {
            HttpResponse<String> list = browser.get("/servers?q=" + own.name());
            assertThat(list.statusCode()).as(role).isEqualTo(200);
            assertThat(list.body()).as(role).contains("<!DOCTYPE html>", own.name(), "sse-connect=\"/events/servers\"",
                    "sse-swap=\"status-" + own.id() + "\" hx-swap=\"innerHTML\"", "status-chip-ready", "198.51.100.10", "href=\"/servers\"", "href=\"/providers\"")
                    .doesNotContain(foreign.id());

            HttpResponse<String> detail = browser.get("/servers/" + own.id());
            assertThat(detail.statusCode()).as(role).isEqualTo(200);
            assertThat(detail.body()).as(role).contains(own.name(), "id=\"firewall\"", "id=\"ssh-keys\"", "id=\"services\"", "id=\"php\"",
                    "id=\"settings\"", "22/tcp", "9100/tcp", "the panel only", "N/A — monitoring is not set up yet", own.panelKeyFingerprint(),
                    "nginx", "php8.3-fpm", "mariadb", "Show database root password", "Type the server name");

            HttpResponse<String> wizard = browser.get("/servers/new");
            assertThat(wizard.statusCode()).as(role).isEqualTo(200);
            assertThat(wizard.body()).as(role).contains("Custom server (existing machine over SSH)", "Ubuntu 24.04 LTS", "Debian 13 (trixie)",
                    "name=\"phpVersions\"", "value=\"8.4\"", "Load regions and sizes", "PostgreSQL");

            HttpResponse<String> providers = browser.get("/providers");
            assertThat(providers.statusCode()).as(role).isEqualTo(200);
            assertThat(providers.body()).as(role).contains("Add a provider account", "name=\"token\"", "name=\"accessKeyId\"");
        });
        assertThat(browsers.get("client").get("/providers").body()).as("clients do not share accounts").doesNotContain("name=\"shared\"")
                .contains(account);
        assertThat(browsers.get("reseller").get("/providers").body()).contains("name=\"shared\"", "Shared with customers");
        assertThat(client1.get("/servers").body()).contains(own.name()).doesNotContain(foreign.name());
    }

    @Test
    void aSearchAnswersHtmxWithTheResultsOnly() {
        HttpResponse<String> fragment = client1.get("/servers?q=" + own.name(), HTMX);
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.body()).doesNotContain("<html").contains("id=\"server-results\"", own.name());
        assertThat(client1.get("/servers?q=no-such-server-anywhere").body()).contains("No server matches");
        assertThat(client2.get("/servers?q=" + own.name()).body()).doesNotContain(own.id());
    }

    @Test
    void aProviderThatCannotBeReachedShowsNotAvailableAndARetry() {
        HttpResponse<String> catalog = client1.get("/providers/" + account + "/catalog", HTMX);
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.body()).doesNotContain("<html").contains("id=\"catalog-unavailable\"", "N/A", "Hetzner Cloud", "Retry");

        HttpResponse<String> wizard = client1.get("/servers/new?provider=" + account);
        assertThat(wizard.statusCode()).isEqualTo(200);
        assertThat(wizard.body()).contains("<!DOCTYPE html>", "id=\"catalog-unavailable\"", "value=\"" + account + "\" selected");

        assertThat(client1.get("/servers/new?provider=" + account, HTMX).body()).doesNotContain("<html").contains("id=\"server-catalog\"");
        assertThat(client2.get("/providers/" + account + "/catalog").statusCode()).isEqualTo(404);
    }

    @Test
    void theWizardCreatesACustomServerAndItsProvisioningJobTogether() {
        String name = "new-" + fixture.client1.id().substring(4, 10).toLowerCase();
        Map<String, String> form = wizard(name, "192.0.2.44");

        HttpResponse<String> created = client1.postForm("/servers", form);

        assertThat(created.statusCode()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/servers/srv_[A-Za-z0-9_-]+");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> row = query("SELECT status, name, ipv4, last_job_id, tenant_id FROM servers WHERE id = ?", id).getFirst();
        assertThat(row).containsEntry("status", "queued").containsEntry("name", name).containsEntry("ipv4", "192.0.2.44")
                .containsEntry("tenant_id", fixture.client1.id());
        Map<String, Object> job = query("SELECT type, status, target_id FROM jobs WHERE id = ?", row.get("last_job_id")).getFirst();
        assertThat(job).containsEntry("type", "servers.provision").containsEntry("status", "queued").containsEntry("target_id", id);

        HttpResponse<String> page = client1.get("/servers/" + id);
        assertThat(page.body()).contains("is queued: provisioning starts in a moment.", "status-chip-provisioning", "Provisioning log",
                "sse-connect=\"/events/jobs/" + row.get("last_job_id") + "?after=0\"", "sse-swap=\"log\"")
                .doesNotContain("a bootstrap password");

        HttpResponse<String> htmx = client1.postForm("/servers", wizard(name + "-b", "192.0.2.45"), HTMX);
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("HX-Redirect").orElseThrow()).contains("/servers/srv_");
    }

    @Test
    void aRefusedWizardKeepsEveryAnswerButTheSecrets() {
        Map<String, String> form = wizard("-bad", "999.1.1.1");
        form.put("sshKeys", "ssh-dss AAAAB3NzaC1kc3MAAACBAP garbage");
        form.put("redis", "on");

        HttpResponse<String> refused = client1.postForm("/servers", form);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("<!DOCTYPE html>", "id=\"wizard-errors\"", "id=\"name-error\"", "id=\"address-error\"",
                "id=\"sshKeys-error\"", "value=\"-bad\"", "value=\"999.1.1.1\"", "ssh-dss AAAAB3NzaC1kc3MAAACBAP garbage",
                "value=\"custom\" selected", "name=\"redis\" value=\"on\" checked")
                .doesNotContain("a bootstrap password");
        assertThat(query("SELECT count(*) AS n FROM servers WHERE name = '-bad'").getFirst().get("n")).isEqualTo(0L);

        Map<String, String> foreignAccount = wizard("fine-name", "192.0.2.50");
        foreignAccount.put("provider", servers.providerAccount(fixture.client2, "Sibling " + fixture.client2.id().substring(4, 10)));
        HttpResponse<String> other = client1.postForm("/servers", foreignAccount);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.body()).contains("Choose one of the provider accounts");
    }

    @Test
    void anotherTenantsServerIsNotFoundEverywhere() {
        assertThat(client2.get("/servers/" + own.id()).statusCode()).isEqualTo(404);
        assertThat(client2.get("/servers/" + own.id(), HTMX).statusCode()).isEqualTo(404);
        for (String action : List.of("reboot", "reprovision", "rotate-key", "services/refresh", "database-password", "firewall", "ssh-keys")) {
            assertThat(client2.postForm("/servers/" + own.id() + "/" + action, Map.of()).statusCode()).as(action).isEqualTo(404);
        }
        assertThat(client2.postForm("/servers/" + own.id() + "/delete", Map.of("confirmName", own.name())).statusCode()).isEqualTo(404);
        assertThat(query("SELECT status FROM servers WHERE id = ?", own.id()).getFirst()).containsEntry("status", "ready");
    }

    @Test
    void actionsQueueJobsAndRefusalsComeBackInline() {
        HttpResponse<String> added = client1.postForm("/servers/" + own.id() + "/firewall",
                Map.of("port", "8080", "protocol", "tcp", "source", "203.0.113.0/24", "comment", "admin"));
        assertThat(added.statusCode()).isEqualTo(302);
        assertThat(added.headers().firstValue("Location").orElseThrow()).endsWith("/servers/" + own.id() + "#firewall");
        assertThat(client1.get("/servers/" + own.id()).body()).contains("Opening 8080/tcp", "203.0.113.0/24", "status-chip-provisioning");

        HttpResponse<String> bad = client1.postForm("/servers/" + own.id() + "/firewall",
                Map.of("port", "70000", "protocol", "tcp", "source", "not-an-address", "comment", "kept"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("id=\"port-error\"", "id=\"source-error\"", "value=\"70000\"", "value=\"not-an-address\"", "value=\"kept\"");

        HttpResponse<String> wrongName = client1.postForm("/servers/" + own.id() + "/delete", Map.of("confirmName", "something-else"));
        assertThat(wrongName.statusCode()).isEqualTo(422);
        assertThat(wrongName.body()).contains("id=\"confirmName-error\"", "to confirm.");

        HttpResponse<String> password = client1.postForm("/servers/" + own.id() + "/database-password", Map.of());
        assertThat(password.statusCode()).isEqualTo(200);
        assertThat(password.body()).contains("id=\"database-password\"", "shown once");
        assertThat(eventually(() -> query("SELECT count(*) AS n FROM audit_log WHERE action = 'server.database_password_shown' "
                + "AND target_id = ?", own.id()).getFirst().get("n"), 1L)).as("the showing is audited").isEqualTo(1L);
    }

    @Test
    void aBadProviderAccountIsRefusedInlineAndNothingIsStored() {
        HttpResponse<String> badToken = client1.postForm("/providers", Map.of("kind", "hetzner", "name", "Bad token", "token", "short"));
        assertThat(badToken.statusCode()).isEqualTo(422);
        assertThat(badToken.body()).contains("id=\"token-error\"", "value=\"Bad token\"");

        String token = "x".repeat(40) + "SECRETTAIL";
        HttpResponse<String> unreachable = client1.postForm("/providers", Map.of("kind", "hetzner", "name", "Unreachable", "token", token),
                Map.of("HX-Request", "true", "HX-Target", "provider-form"));
        assertThat(unreachable.statusCode()).isEqualTo(422);
        assertThat(unreachable.body()).doesNotContain("<html", token).contains("id=\"credentials-error\"", "Nothing was saved.", "value=\"Unreachable\"");
        assertThat(query("SELECT count(*) AS n FROM provider_accounts WHERE name IN ('Bad token', 'Unreachable')").getFirst().get("n")).isEqualTo(0L);
    }

    @Test
    void theLiveStreamTellsTheOwnerAndNotTheSiblingReseller() {
        PanelClient sibling = PanelClient.browser(port).login(fixture.reseller2User.email(), Fixture.PASSWORD);
        ServerEvents events = context.getBean(ServerEvents.class);
        try (EventStream owner = client1.openEvents("/events/servers"); EventStream cousin = sibling.openEvents("/events/servers")) {
            assertThat(owner.status()).isEqualTo(200);
            assertThat(owner.contentType()).startsWith("text/event-stream");

            system.run(() -> events.status(tenantPath(fixture.client1.id()), own.id(), ServerStatus.FAILED, "disk full"));
            system.run(() -> events.status(tenantPath(fixture.client2.id()), foreign.id(), ServerStatus.PROVISIONING, null));

            EventStream.Event chip = owner.await(event -> event.name().equals("status-" + own.id()), WAIT);
            assertThat(chip.data()).contains("status-chip-failed", "failed");
            owner.await(event -> event.name().equals("server-status"), WAIT);
            // The cousin gets its own server's change, and by then would have had the other one too.
            cousin.await(event -> event.name().equals("status-" + foreign.id()), WAIT);
            assertThat(cousin.received()).noneMatch(event -> event.name().equals("status-" + own.id()));
            assertThat(owner.received()).noneMatch(event -> event.name().equals("status-" + foreign.id()));
        }
    }

    private Map<String, String> wizard(String name, String address) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("provider", "custom");
        form.put("name", name);
        form.put("image", "DEBIAN_12");
        form.put("phpVersions", "8.3");
        form.put("phpDefaultVersion", "8.3");
        form.put("database", "mariadb");
        form.put("address", address);
        form.put("sshPort", "22");
        form.put("sshUser", "root");
        form.put("authMethod", "password");
        form.put("password", "a bootstrap password");
        return form;
    }

    /** Reads until the value is {@code wanted} (audit entries are written after the request), at most {@link #WAIT}. */
    private static Object eventually(java.util.function.Supplier<Object> read, Object wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object value = read.get();
        while (!wanted.equals(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            value = read.get();
        }
        return value;
    }

    private String tenantPath(String tenantId) {
        return (String) query("SELECT path FROM tenants WHERE id = ?", tenantId).getFirst().get("path");
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        return system.call(() -> jdbc.sql(sql).params(params).query().listOfRows());
    }
}
