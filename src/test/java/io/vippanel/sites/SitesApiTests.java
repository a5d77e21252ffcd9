package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.sites.internal.WebhookSignatures;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.SystemTransactions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * {@code /api/v1/sites}, its deployments and the push webhook, with personal API tokens. This context runs no jobs
 * (role api), so every job stays queued: the tests check what the API records and queues, what it refuses, and who
 * may see and do what.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SitesApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JdbcClient owner;
    SystemTransactions system;
    SiteFixtures sites;
    PanelClient client1;
    PanelClient client2;
    PanelClient reseller1;
    Server server1;
    Server server2;
    String tag;
    int serial;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        sites = new SiteFixtures(context);
        client1 = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        client2 = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        reseller1 = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        ServerFixtures servers = new ServerFixtures(context);
        tag = fixture.client1.id().substring(4, 10).toLowerCase(java.util.Locale.ROOT);
        server1 = servers.readyServer(fixture.client1User, "sites-" + tag, "198.51.100.40");
        server2 = servers.readyServer(fixture.client2User, "sites-other-" + tag, "198.51.100.41");
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private String domain(String name) {
        return name + "-" + tag + "-" + (serial++) + ".example.test";
    }

    private String siteJson(String serverId, String type, String domain, String extra) {
        return """
                {"serverId": "%s", "type": "%s", "domain": "%s" %s}""".formatted(serverId, type, domain, extra);
    }

    private long count(String sql, Object... params) {
        return system.call(() -> owner.sql(sql).params(List.of(params)).query(Long.class).single());
    }

    private long jobs() {
        return count("SELECT count(*) FROM jobs");
    }

    private JsonNode create(PanelClient as, String serverId, String domain) {
        return json(as.send("POST", "/api/v1/sites", siteJson(serverId, "static", domain,
                ", \"repositoryUrl\": \"https://git.example.test/owner/site.git\"")), 201);
    }

    @Test
    void creatingASiteRecordsItQueuedWithItsJobAndKeepsSecretsOutOfSight() {
        String domain = domain("shop");
        HttpResponse<String> response = client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "laravel", domain,
                ", \"aliases\": \"www." + domain + "\", \"repositoryUrl\": \"git@github.com:owner/shop.git\", \"branch\": \"release/1.0\""));
        JsonNode created = json(response, 201);
        JsonNode site = created.path("site");
        String id = site.path("id").asString();
        assertThat(id).startsWith("site_");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/sites/" + id);
        assertThat(site.path("status").asString()).isEqualTo("queued");
        assertThat(site.path("domain").asString()).isEqualTo(domain);
        assertThat(site.path("aliases").get(0).asString()).isEqualTo("www." + domain);
        assertThat(site.path("webRoot").asString()).isEqualTo("public");
        assertThat(site.path("phpVersion").asString()).isEqualTo("8.3");
        assertThat(site.path("sharedPaths").toString()).contains(".env", "storage");
        assertThat(site.path("deployScript").asString()).contains("php artisan migrate --force");
        assertThat(site.path("systemUser").asString()).matches("shop[a-z0-9]*_[a-z0-9]{4}");
        assertThat(site.path("deployKeyPublic").asString()).startsWith("ssh-ed25519 ");
        assertThat(site.path("webhookPath").asString()).isEqualTo("/hooks/sites/" + id);
        assertThat(created.toString()).doesNotContain("PRIVATE KEY");

        String jobId = created.path("jobId").asString();
        JsonNode job = json(client1.send("GET", "/api/v1/jobs/" + jobId, null), 200);
        assertThat(job.path("type").asString()).isEqualTo("sites.create");
        assertThat(job.path("targetId").asString()).isEqualTo(id);
        assertThat(job.path("status").asString()).isEqualTo("queued");

        Map<String, Object> row = system.call(() -> owner.sql("SELECT deploy_key_private, webhook_secret, tenant_id FROM sites WHERE id = ?")
                .param(id).query().singleRow());
        assertThat(String.valueOf(row.get("deploy_key_private"))).doesNotContain("PRIVATE").isNotBlank();
        assertThat(row.get("tenant_id")).isEqualTo(fixture.client1.id());
        assertThat(count("SELECT count(*) FROM site_domains WHERE site_id = ?", id)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'site.create' AND target_id = ?", id)).isEqualTo(1);

        JsonNode read = json(client1.send("GET", "/api/v1/sites/" + id, null), 200);
        assertThat(read.path("domain").asString()).isEqualTo(domain);
        JsonNode list = json(client1.send("GET", "/api/v1/sites?q=" + domain, null), 200);
        assertThat(list.path("total").asLong()).isEqualTo(1);
        JsonNode byServer = json(client1.send("GET", "/api/v1/sites?serverId=" + server1.id(), null), 200);
        assertThat(byServer.path("items").toString()).contains(id);
    }

    @Test
    void aLaravelSiteComesWithItsSchedulerAndQueueWorkerWaitingForTheFirstDeployment() {
        JsonNode laravel = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "laravel", domain("app"), "")), 201);
        String id = laravel.path("site").path("id").asString();
        JsonNode cron = json(client1.send("GET", "/api/v1/sites/" + id + "/cron-jobs", null), 200);
        assertThat(cron.toString()).contains("* * * * *", "php artisan schedule:run", "pending");
        JsonNode workers = json(client1.send("GET", "/api/v1/sites/" + id + "/workers", null), 200);
        assertThat(workers.toString()).contains("queue:work", "pending");

        JsonNode plain = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "php", domain("plain"), "")), 201);
        String plainId = plain.path("site").path("id").asString();
        assertThat(count("SELECT count(*) FROM site_cron_jobs WHERE site_id = ?", plainId)
                + count("SELECT count(*) FROM site_workers WHERE site_id = ?", plainId)).isZero();
    }

    @Test
    void aWordPressWithoutRepositoryGetsItsDatabaseAndAnAdministratorShownOnce() {
        String domain = domain("blog");
        long jobsBefore = jobs();
        JsonNode refused = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "wordpress", domain,
                ", \"wordpress\": {\"title\": \"Tab\\there\", \"adminUser\": \"has space\", \"adminEmail\": \"nope\"}")), 422);
        assertThat(refused.path("errors").path("wordpressTitle").asString()).contains("control characters");
        assertThat(refused.path("errors").path("wordpressAdminUser").asString()).contains("no spaces");
        assertThat(refused.path("errors").path("wordpressAdminEmail").asString()).isNotBlank();
        JsonNode missing = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "wordpress", domain, "")), 422);
        assertThat(missing.path("errors").path("wordpressAdminUser").asString()).contains("administrator");
        assertThat(jobs()).isEqualTo(jobsBefore);
        assertThat(count("SELECT count(*) FROM site_domains WHERE domain = ?", domain)).isZero();

        JsonNode created = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "wordpress", domain,
                ", \"wordpress\": {\"title\": \"Notes from the corner\", \"adminUser\": \"editor\", \"adminEmail\": \"Editor@Example.test\"}")),
                201);
        String id = created.path("site").path("id").asString();
        JsonNode admin = created.path("wordpressAdmin");
        String password = admin.path("password").asString();
        assertThat(password).hasSize(24);
        assertThat(admin.path("user").asString()).isEqualTo("editor");
        assertThat(admin.path("email").asString()).isEqualTo("editor@example.test");
        assertThat(admin.path("loginUrl").asString()).isEqualTo("http://" + domain + "/wp-login.php");
        assertThat(created.path("site").path("deploySource").asString()).isEqualTo("wordpress");
        assertThat(created.path("site").path("sharedPaths").toString()).isEqualTo("[\"wp-config.php\",\"wp-content\"]");

        Map<String, Object> install = system.call(() -> owner.sql("SELECT * FROM site_wordpress WHERE site_id = ?").param(id).query().singleRow());
        assertThat(install.get("title")).isEqualTo("Notes from the corner");
        assertThat(String.valueOf(install.get("admin_password"))).as("sealed").isNotBlank().doesNotContain(password);
        JsonNode databases = json(client1.send("GET", "/api/v1/sites/" + id + "/databases", null), 200);
        assertThat(databases.size()).isEqualTo(1);
        assertThat(databases.get(0).path("name").asString()).isEqualTo(created.path("site").path("systemUser").asString());
        assertThat(databases.get(0).path("status").asString()).isEqualTo("pending");
        assertThat(client1.send("GET", "/api/v1/sites/" + id, null).body()).doesNotContain(password);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'site.create' AND target_id = ? AND details::text LIKE '%editor%'"
                + " AND details::text NOT LIKE ?", id, "%" + password + "%")).isEqualTo(1);

        JsonNode ownCode = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "wordpress", domain("own"),
                ", \"repositoryUrl\": \"https://git.example.test/owner/blog.git\"")), 201);
        assertThat(ownCode.path("wordpressAdmin").isNull()).isTrue();
        assertThat(ownCode.path("site").path("deploySource").asString()).isEqualTo("git");
        assertThat(count("SELECT count(*) FROM site_wordpress WHERE site_id = ?", ownCode.path("site").path("id").asString())).isZero();
    }

    @Test
    void wordPressNeedsMariaDb() {
        system.run(() -> owner.sql("UPDATE servers SET stack = jsonb_set(stack, '{database}', '\"postgresql\"') WHERE id = ?")
                .param(server2.id()).update());
        try {
            JsonNode refused = json(client2.send("POST", "/api/v1/sites", siteJson(server2.id(), "wordpress", domain("pg"),
                    ", \"wordpress\": {\"adminUser\": \"editor\", \"adminEmail\": \"editor@example.test\"}")), 422);
            assertThat(refused.path("errors").path("type").asString()).contains("MySQL or MariaDB", "PostgreSQL");
        } finally {
            system.run(() -> owner.sql("UPDATE servers SET stack = jsonb_set(stack, '{database}', '\"mariadb\"') WHERE id = ?")
                    .param(server2.id()).update());
        }
    }

    @Test
    void internationalNamesAreStoredInPunycode() {
        String unicode = "bücher-" + tag + "-" + (serial++) + ".example";
        JsonNode site = create(client1, server1.id(), unicode).path("site");
        assertThat(site.path("domain").asString()).startsWith("xn--bcher-").endsWith(".example");
    }

    @Test
    void badInputIsRefusedFieldByFieldAndQueuesNothing() {
        long before = jobs();
        long sitesBefore = count("SELECT count(*) FROM sites");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(siteJson(server1.id(), "static", "not a host", ""), "domain");
        cases.put(siteJson(server1.id(), "static", "1.2.3.4", ""), "domain");
        cases.put(siteJson(server1.id(), "static", "example.com:8080", ""), "domain");
        cases.put(siteJson(server1.id(), "static", "*.example.com", ""), "domain");
        cases.put(siteJson(server1.id(), "static", "example.com/admin", ""), "domain");
        cases.put(siteJson(server1.id(), "static", "localhost", ""), "domain");
        cases.put(siteJson(server1.id(), "java", domain("t"), ""), "type");
        cases.put(siteJson(server1.id(), "static", domain("w"), ", \"webRoot\": \"../../etc\""), "webRoot");
        cases.put(siteJson(server1.id(), "static", domain("w"), ", \"webRoot\": \"/var/www\""), "webRoot");
        cases.put(siteJson(server1.id(), "static", domain("s"), ", \"sharedPaths\": \"storage, ../../root\""), "sharedPaths");
        cases.put(siteJson(server1.id(), "static", domain("b"), ", \"repositoryUrl\": \"https://github.com/o/r.git\", \"branch\": \"main; rm -rf /\""),
                "branch");
        cases.put(siteJson(server1.id(), "static", domain("b"), ", \"repositoryUrl\": \"https://github.com/o/r.git\", \"branch\": \"$(id)\""),
                "branch");
        cases.put(siteJson(server1.id(), "static", domain("r"), ", \"repositoryUrl\": \"http://github.com/o/r.git\""), "repositoryUrl");
        cases.put(siteJson(server1.id(), "static", domain("r"), ", \"repositoryUrl\": \"file:///srv/repos/x.git\""), "repositoryUrl");
        cases.put(siteJson(server1.id(), "static", domain("r"), ", \"repositoryUrl\": \"https://github.com/o/r.git;id\""), "repositoryUrl");
        cases.put(siteJson(server1.id(), "static", domain("r"), ", \"repositoryUrl\": \"https://u:token@github.com/o/r.git\""), "repositoryUrl");
        cases.put(siteJson(server1.id(), "static", domain("d"), ", \"deployScript\": \"npm ci\\u0000\""), "deployScript");
        cases.put(siteJson(server1.id(), "static", domain("k"), ", \"keepReleases\": 0"), "keepReleases");
        cases.put(siteJson(server1.id(), "php", domain("p"), ", \"phpVersion\": \"5.6\""), "phpVersion");
        cases.put(siteJson(server1.id(), "nodejs", domain("n"), ""), "type");
        cases.put(siteJson("srv_doesnotexist2345678", "static", domain("x"), ""), "serverId");
        cases.put(siteJson(server2.id(), "static", domain("x"), ""), "serverId");
        cases.put("{\"type\": \"static\", \"domain\": \"" + domain("x") + "\"}", "serverId");
        cases.forEach((body, field) -> {
            JsonNode problem = json(client1.send("POST", "/api/v1/sites", body), 422);
            assertThat(problem.path("errors").has(field)).as("%s → %s", body, problem).isTrue();
        });
        assertThat(jobs()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM sites")).isEqualTo(sitesBefore);
        assertThat(client1.send("POST", "/api/v1/sites", "{not json").statusCode()).isEqualTo(400);
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void aHostNameBelongsToOneSiteOverAllTenants() {
        String domain = domain("taken");
        create(client1, server1.id(), domain);
        long before = jobs();
        JsonNode problem = json(client2.send("POST", "/api/v1/sites", siteJson(server2.id(), "static", domain.toUpperCase(java.util.Locale.ROOT), "")), 422);
        assertThat(problem.path("errors").path("domain").asString()).contains("Another site already answers");
        JsonNode asAlias = json(client2.send("POST", "/api/v1/sites", siteJson(server2.id(), "static", domain("free"),
                ", \"aliases\": \"" + domain + "\"")), 422);
        assertThat(asAlias.path("errors").has("aliases")).isTrue();
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void aSiteIsCreatedInItsServersTenant() {
        long before = jobs();
        JsonNode problem = json(reseller1.send("POST", "/api/v1/sites", siteJson(server1.id(), "static", domain("above"), "")), 422);
        assertThat(problem.path("errors").path("serverId").asString()).contains("switch to the tenant");
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void theSiteLimitOfTheTenantHolds() {
        long existing = count("SELECT count(*) FROM sites WHERE tenant_id = ?", fixture.client1.id());
        system.run(() -> owner.sql("UPDATE tenants SET max_sites = ? WHERE id = ?").params((int) existing, fixture.client1.id()).update());
        try {
            long before = jobs();
            JsonNode problem = json(client1.send("POST", "/api/v1/sites", siteJson(server1.id(), "static", domain("limit"), "")), 422);
            assertThat(problem.toString()).contains("site limit");
            assertThat(jobs()).isEqualTo(before);
        } finally {
            system.run(() -> owner.sql("UPDATE tenants SET max_sites = NULL WHERE id = ?").params(fixture.client1.id()).update());
        }
    }

    @Test
    void anotherTenantSeesNothingOfTheSite() {
        Site site = sites.readySite(fixture.client1User, server1.id(), domain("private"));
        String deployment = sites.succeededDeployment(site.id());
        long before = jobs();
        String base = "/api/v1/sites/" + site.id();
        List<HttpResponse<String>> answers = List.of(
                client2.send("GET", base, null),
                client2.send("PATCH", base, "{\"keepReleases\": 3}"),
                client2.send("DELETE", base + "?confirm=" + site.domain(), null),
                client2.send("POST", base + "/suspend", null),
                client2.send("POST", base + "/unsuspend", null),
                client2.send("PUT", base + "/waf", "{\"mode\": \"block\"}"),
                client2.send("PUT", base + "/waf", "{\"mode\": \"nonsense\"}"),
                client2.send("POST", base + "/webhook-secret", null),
                client2.send("GET", base + "/deployments", null),
                client2.send("POST", base + "/deployments", null),
                client2.send("GET", base + "/deployments/" + deployment, null),
                client2.send("POST", base + "/deployments/" + deployment + "/rollback", null),
                client2.postFile(base + "/deployments/archive", "archive", "site.tar.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0}));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.request().method() + " " + answer.request().uri() + ": " + answer.body()).isEqualTo(404);
            assertThat(answer.body()).doesNotContain(site.domain());
        });
        assertThat(json(client2.send("GET", "/api/v1/sites?q=" + site.domain(), null), 200).path("total").asLong()).isZero();
        assertThat(jobs()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action = 'site.webhook_secret_shown'", site.id())).isZero();
        // The owner does see and reach all of it.
        assertThat(json(client1.send("GET", base + "/deployments/" + deployment, null), 200).path("release").asString())
                .isEqualTo("20200101000000");
    }

    @Test
    void deploymentsRunOneAtATimeAndRollBackOnlyToKeptReleases() {
        Site site = sites.readySite(fixture.client1User, server1.id(), domain("deploy"));
        String old = sites.succeededDeployment(site.id());
        String base = "/api/v1/sites/" + site.id() + "/deployments";
        HttpResponse<String> first = client1.send("POST", base, null);
        JsonNode deployment = json(first, 202);
        assertThat(deployment.path("status").asString()).isEqualTo("queued");
        assertThat(deployment.path("trigger").asString()).isEqualTo("manual");
        assertThat(deployment.path("branch").asString()).isEqualTo("main");
        assertThat(first.headers().firstValue("Location")).hasValue(base + "/" + deployment.path("id").asString());
        JsonNode job = json(client1.send("GET", "/api/v1/jobs/" + deployment.path("jobId").asString(), null), 200);
        assertThat(job.path("type").asString()).isEqualTo("sites.deploy");

        long before = jobs();
        assertThat(json(client1.send("POST", base, null), 409).path("detail").asString()).contains("still under way");
        assertThat(client1.send("POST", base + "/" + old + "/rollback", null).statusCode()).isEqualTo(409);
        assertThat(jobs()).isEqualTo(before);

        sites.markReady(site.id());
        JsonNode rollback = json(client1.send("POST", base + "/" + old + "/rollback", null), 202);
        assertThat(rollback.path("kind").asString()).isEqualTo("rollback");
        assertThat(rollback.path("rollbackOf").asString()).isEqualTo(old);
        assertThat(rollback.path("release").asString()).isEqualTo("20200101000000");

        sites.markReady(site.id());
        system.run(() -> owner.sql("UPDATE site_deployments SET release_pruned = true WHERE id = ?").params(old).update());
        assertThat(json(client1.send("POST", base + "/" + old + "/rollback", null), 422).toString()).contains("removed from the server");
        assertThat(client1.send("POST", base + "/dep_doesnotexist234567/rollback", null).statusCode()).isEqualTo(404);
        assertThat(client1.send("POST", base + "/not-an-id/rollback", null).statusCode()).isEqualTo(404);

        JsonNode list = json(client1.send("GET", base, null), 200);
        assertThat(list.path("total").asLong()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action IN ('site.deploy', 'site.rollback')", site.id()))
                .isEqualTo(2);
    }

    @Test
    void archivesDeployOnlyToStaticSitesAndMustBeArchives() {
        Site site = sites.readySite(fixture.client1User, server1.id(), domain("upload"));
        String path = "/api/v1/sites/" + site.id() + "/deployments/archive";
        long before = jobs();
        assertThat(json(client1.postFile(path, "archive", "site.exe", new byte[] {1, 2, 3}), 422).path("errors").has("archive")).isTrue();
        assertThat(json(client1.postFile(path, "archive", "site.tar.gz", "not gzip".getBytes(StandardCharsets.UTF_8)), 422)
                .path("errors").has("archive")).isTrue();
        assertThat(jobs()).isEqualTo(before);
        JsonNode deployment = json(client1.postFile(path, "archive", "site.tar.gz", gzip("index.html")), 202);
        assertThat(deployment.path("status").asString()).isEqualTo("queued");
    }

    private static byte[] gzip(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Test
    void settingsSuspendAndDeleteAreValidatedAndAudited() {
        Site site = sites.readySite(fixture.client1User, server1.id(), domain("life"));
        String base = "/api/v1/sites/" + site.id();
        long before = jobs();
        assertThat(json(client1.send("PATCH", base, "{\"webRoot\": \"../x\"}"), 422).path("errors").has("webRoot")).isTrue();
        assertThat(json(client1.send("PATCH", base, "{\"nginxCustom\": \"access_log /etc/cron.d/x;\"}"), 422).path("errors")
                .has("nginxCustom")).isTrue();
        assertThat(json(client1.send("PUT", base + "/waf", "{\"mode\": \"loud\"}"), 422).path("errors").has("mode")).isTrue();
        assertThat(json(client1.send("DELETE", base + "?confirm=wrong.example", null), 422).path("errors").has("confirm")).isTrue();
        assertThat(json(client1.send("POST", base + "/unsuspend", null), 422).path("errors").has("status")).isTrue();
        assertThat(jobs()).isEqualTo(before);

        HttpResponse<String> patched = client1.send("PATCH", base, "{\"deployScript\": \"exit 3\", \"keepReleases\": 3}");
        JsonNode accepted = json(patched, 202);
        assertThat(patched.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + accepted.path("jobId").asString());
        JsonNode read = json(client1.send("GET", base, null), 200);
        assertThat(read.path("deployScript").asString()).isEqualTo("exit 3");
        assertThat(read.path("keepReleases").asInt()).isEqualTo(3);
        json(client1.send("PUT", base + "/waf", "{\"mode\": \"detect\"}"), 202);
        assertThat(json(client1.send("GET", base, null), 200).path("waf").asString()).isEqualTo("detect");

        json(client1.send("POST", base + "/suspend", null), 202);
        JsonNode secret = json(client1.send("POST", base + "/webhook-secret", null), 200);
        assertThat(secret.path("secret").asString()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(secret.path("url").asString()).endsWith("/hooks/sites/" + site.id());
        json(client1.send("DELETE", base + "?confirm=" + site.domain(), null), 202);
        assertThat(json(client1.send("GET", base, null), 200).path("status").asString()).isEqualTo("deleting");
        for (String action : List.of("site.update", "site.waf", "site.suspend", "site.webhook_secret_shown", "site.delete")) {
            assertThat(count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action = ?", site.id(), action)).as(action).isEqualTo(1);
        }
    }

    // --- the webhook

    private HttpResponse<String> hook(String siteId, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Sites.webhookPath(siteId)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> github(String event, String body, String secret, String delivery) {
        return Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", WebhookSignatures.githubSignature(body.getBytes(StandardCharsets.UTF_8), secret));
    }

    @Test
    void theWebhookDeploysOnlySignedPushesOfTheBranchOnce() {
        Site site = sites.readySite(fixture.client1User, server1.id(), domain("hook"));
        String secret = json(client1.send("POST", "/api/v1/sites/" + site.id() + "/webhook-secret", null), 200).path("secret").asString();
        String push = "{\"ref\": \"refs/heads/main\", \"after\": \"0123456789abcdef\"}";
        long deployments = count("SELECT count(*) FROM site_deployments WHERE site_id = ?", site.id());

        assertThat(hook(site.id(), push, github("push", push, "wrong secret", UUID.randomUUID().toString())).statusCode()).isEqualTo(401);
        assertThat(hook(site.id(), push, Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "x")).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = hook("site_doesnotexist23456789", push, github("push", push, secret, UUID.randomUUID().toString()));
        HttpResponse<String> wrong = hook(site.id(), push, github("push", push, "wrong secret", UUID.randomUUID().toString()));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(hook("junk", push, Map.of()).statusCode()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ?", site.id())).isEqualTo(deployments);

        String ping = "{\"zen\": \"Keep it logically awesome.\"}";
        HttpResponse<String> pong = hook(site.id(), ping, github("ping", ping, secret, UUID.randomUUID().toString()));
        assertThat(pong.statusCode()).isEqualTo(200);
        assertThat(pong.body()).contains("pong");
        String other = "{\"ref\": \"refs/heads/feature\"}";
        assertThat(hook(site.id(), other, github("push", other, secret, UUID.randomUUID().toString())).statusCode()).isEqualTo(202);
        assertThat(hook(site.id(), push, github("issues", push, secret, UUID.randomUUID().toString())).statusCode()).isEqualTo(202);
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ?", site.id())).isEqualTo(deployments);

        String delivery = UUID.randomUUID().toString();
        HttpResponse<String> deployed = hook(site.id(), push, github("push", push, secret, delivery));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        assertThat(deployed.body()).contains("dep_");
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ? AND trigger = 'webhook'", site.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action = 'site.webhook.deploy'", site.id())).isEqualTo(1);

        sites.markReady(site.id());
        HttpResponse<String> replay = hook(site.id(), push, github("push", push, secret, delivery));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("Already handled");
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ? AND trigger = 'webhook'", site.id())).isEqualTo(1);

        // GitLab: the token itself, its event name, and its delivery id.
        HttpResponse<String> gitlab = hook(site.id(), push, Map.of("X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Event-UUID", UUID.randomUUID().toString()));
        assertThat(gitlab.statusCode()).as(gitlab.body()).isEqualTo(202);
        sites.markReady(site.id());
        assertThat(hook(site.id(), push, Map.of("X-Gitlab-Token", "nope", "X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Event-UUID", UUID.randomUUID().toString())).statusCode()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ? AND trigger = 'webhook'", site.id())).isEqualTo(2);

        String huge = "{\"ref\": \"refs/heads/main\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
        assertThat(hook(site.id(), huge, github("push", huge, secret, UUID.randomUUID().toString())).statusCode()).isEqualTo(413);
        assertThat(count("SELECT count(*) FROM site_deployments WHERE site_id = ? AND trigger = 'webhook'", site.id())).isEqualTo(2);
    }
}
