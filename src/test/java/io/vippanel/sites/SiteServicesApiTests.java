package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
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
 * {@code /api/v1/sites/{id}/env|databases|cron-jobs|workers} with personal API tokens. This context runs no jobs
 * (role api): the tests check what is recorded and queued, what is refused, who may see what, and that no secret
 * reaches the audit trail or a job record.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteServicesApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET_VALUE = "s3cr3t-Value-that-must-not-leak";

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JdbcClient owner;
    SystemTransactions system;
    SiteServiceFixtures sites;
    PanelClient client1;
    PanelClient client2;
    PanelClient reseller1;
    Server server1;
    Server server2;
    int serial;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        sites = new SiteServiceFixtures(context);
        client1 = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        client2 = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        reseller1 = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        ServerFixtures servers = new ServerFixtures(context);
        server1 = servers.readyServer(fixture.client1User, "sites-api-1", "198.51.100.31");
        server2 = servers.readyServer(fixture.client2User, "sites-api-2", "198.51.100.32");
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String fieldError(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body()).doesNotContain("Exception", "at io.vippanel");
        JsonNode errors = JSON.readTree(response.body()).path("errors");
        assertThat(errors.has(field)).as("error on %s in %s", field, response.body()).isTrue();
        return errors.path(field).asString();
    }

    private long count(String sql, Object... params) {
        return system.call(() -> owner.sql(sql).params(List.of(params)).query(Long.class).single());
    }

    private String jobsText(String siteId) {
        return system.call(() -> owner.sql("SELECT coalesce(string_agg(title || ' ' || params::text || ' ' || result::text || ' ' "
                + "|| coalesce(summary, ''), ' | '), '') FROM jobs WHERE target_id = ?").param(siteId).query(String.class).single());
    }

    private String auditText(String siteId) {
        return system.call(() -> owner.sql("SELECT coalesce(string_agg(action || ' ' || details::text, ' | '), '') FROM audit_log "
                + "WHERE target_id = ?").param(siteId).query(String.class).single());
    }

    private String base(String siteId) {
        return "/api/v1/sites/" + siteId;
    }

    @Test
    void theEnvironmentIsStoredSealedWrittenByAJobAndReadingItIsAudited() {
        String site = sites.site(server1, SiteType.LARAVEL);
        String dotenv = "APP_NAME=Shop\nAPP_KEY=\"" + SECRET_VALUE + "\"\n# comment\n";
        JsonNode accepted = json(client1.send("PUT", base(site) + "/env", JSON.writeValueAsString(Map.of("dotenv", dotenv, "apply", "reload"))), 202);
        String jobId = accepted.path("jobId").asString();
        JsonNode job = json(client1.send("GET", "/api/v1/jobs/" + jobId, null), 200);
        assertThat(job.path("type").asString()).isEqualTo("sites.environment");
        assertThat(job.path("params").path("apply").asString()).isEqualTo("reload");
        String sealed = system.call(() -> owner.sql("SELECT environment FROM sites WHERE id = ?").param(site).query(String.class).single());
        assertThat(sealed).isNotBlank().doesNotContain(SECRET_VALUE).doesNotContain("APP_NAME");

        assertThat(json(client1.send("GET", base(site) + "/env", null), 200).path("dotenv").asString()).isEqualTo(dotenv);
        assertThat(json(reseller1.send("GET", base(site) + "/env", null), 200).path("dotenv").asString()).isEqualTo(dotenv);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'site.environment.viewed' AND target_id = ?", site)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'site.environment.changed' AND target_id = ?", site)).isEqualTo(1);
        assertThat(auditText(site)).contains("APP_KEY", "APP_NAME").doesNotContain(SECRET_VALUE, "Shop");

        json(client1.send("PUT", base(site) + "/env", JSON.writeValueAsString(Map.of("dotenv", "APP_NAME=Shop\n"))), 202);
        assertThat(auditText(site)).contains("\"changed\": [\"APP_KEY\"]");
        assertThat(jobsText(site)).doesNotContain(SECRET_VALUE, "Shop");
    }

    @Test
    void aSiteNotYetOnItsServerKeepsTheEnvironmentWithoutAJob() {
        String site = sites.site(server1, SiteType.PHP);
        system.run(() -> owner.sql("UPDATE sites SET status = 'creating' WHERE id = ?").param(site).update());
        JsonNode accepted = json(client1.send("PUT", base(site) + "/env", "{\"dotenv\": \"A=1\"}"), 202);
        assertThat(accepted.path("jobId").isNull()).isTrue();
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ?", site)).isZero();
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"early_db\"}"), "site")).contains("creating");
    }

    @Test
    void badEnvironmentsAreRefusedWithTheLineAndNothingIsQueued() {
        String site = sites.site(server1, SiteType.PHP);
        assertThat(fieldError(client1.send("PUT", base(site) + "/env", "{\"dotenv\": \"A=1\\nnot an assignment\"}"), "dotenv"))
                .startsWith("Line 2");
        assertThat(fieldError(client1.send("PUT", base(site) + "/env", "{\"dotenv\": \"A=1\\u0000\"}"), "dotenv")).contains("NUL");
        assertThat(fieldError(client1.send("PUT", base(site) + "/env",
                JSON.writeValueAsString(Map.of("dotenv", "A=" + "x".repeat(70_000)))), "dotenv")).contains("64 KiB");
        assertThat(fieldError(client1.send("PUT", base(site) + "/env", "{\"dotenv\": \"A=1\", \"apply\": \"explode\"}"), "apply"))
                .contains("write, reload or deploy");
        assertThat(fieldError(client1.send("PUT", base(site) + "/env", "{\"dotenv\": \"A=1\", \"apply\": \"deploy\"}"), "apply"))
                .contains("cannot deploy now").contains("repository");
        assertThat(client1.send("PUT", base(site) + "/env", "{not json").statusCode()).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ?", site)).isZero();
        assertThat(count("SELECT count(*) FROM sites WHERE id = ? AND environment IS NULL", site)).isEqualTo(1);
    }

    @Test
    void aDatabaseIsCreatedWithAPasswordShownOnceRevealedOnRequestChangedAndDropped() {
        String site = sites.site(server1, SiteType.WORDPRESS);
        String name = "wp_" + serial++ + "_shop";
        JsonNode created = json(client1.send("POST", base(site) + "/databases", "{\"name\": \"" + name + "\"}"), 201);
        String password = created.path("password").asString();
        String id = created.path("database").path("id").asString();
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(created.path("database").path("username").asString()).isEqualTo(name);
        assertThat(created.path("database").path("engine").asString()).isEqualTo("mariadb");
        assertThat(created.path("database").path("status").asString()).isEqualTo("pending");
        assertThat(json(client1.send("GET", "/api/v1/jobs/" + created.path("jobId").asString(), null), 200).path("type").asString())
                .isEqualTo("sites.databases");

        JsonNode listed = json(client1.send("GET", base(site) + "/databases", null), 200);
        assertThat(listed.toString()).contains(id).doesNotContain(password);
        assertThat(json(client1.send("GET", base(site) + "/databases/" + id + "/password", null), 200).path("password").asString())
                .isEqualTo(password);
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'site.database.password_viewed' AND target_id = ?", site)).isEqualTo(1);

        JsonNode changed = json(client1.send("POST", base(site) + "/databases/" + id + "/password", null), 200);
        String newPassword = changed.path("password").asString();
        assertThat(newPassword).hasSizeGreaterThanOrEqualTo(24).isNotEqualTo(password);
        assertThat(json(client1.send("GET", base(site) + "/databases/" + id + "/password", null), 200).path("password").asString())
                .isEqualTo(newPassword);

        json(client1.send("DELETE", base(site) + "/databases/" + id, null), 202);
        assertThat(count("SELECT count(*) FROM site_databases WHERE id = ? AND status = 'removing'", id)).isEqualTo(1);
        assertThat(fieldError(client1.send("DELETE", base(site) + "/databases/" + id, null), "database")).contains("already");

        assertThat(auditText(site)).contains("site.database.created", "site.database.password_changed", "site.database.deleted")
                .doesNotContain(password, newPassword);
        assertThat(jobsText(site)).doesNotContain(password, newPassword);
        String sealed = system.call(() -> owner.sql("SELECT password FROM site_databases WHERE id = ?").param(id).query(String.class).single());
        assertThat(sealed).doesNotContain(newPassword);
    }

    @Test
    void databaseNamesAreCheckedAndUniqueOnTheServer() {
        String site = sites.site(server1, SiteType.PHP);
        String other = sites.site(server1, SiteType.PHP);
        long jobs = count("SELECT count(*) FROM jobs WHERE target_id IN (?, ?)", site, other);
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"mysql\"}"), "name")).contains("database server");
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"Bad-Name\"}"), "name")).contains("lower-case");
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"\"}"), "name")).contains("fill");
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"okname\", \"username\": \"root\"}"), "username"))
                .contains("database server");
        assertThat(fieldError(client1.send("POST", base(site) + "/databases",
                "{\"name\": \"okname\", \"username\": \"" + "u".repeat(33) + "\"}"), "username")).contains("32");
        String name = "taken_" + serial++;
        json(client1.send("POST", base(site) + "/databases", "{\"name\": \"" + name + "\"}"), 201);
        assertThat(fieldError(client1.send("POST", base(other) + "/databases", "{\"name\": \"" + name + "\"}"), "name"))
                .contains("already has a database or user named " + name);
        assertThat(fieldError(client1.send("POST", base(other) + "/databases", "{\"name\": \"fresh_" + serial++ + "\", \"username\": \""
                + name + "\"}"), "username")).contains("already");
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id IN (?, ?)", site, other)).isEqualTo(jobs + 1);
    }

    @Test
    void aServerWithoutADatabaseServerSaysSo() {
        ServerFixtures servers = new ServerFixtures(context);
        Server bare = Fixture.as(fixture.client1User, () -> context.getBean(io.vippanel.servers.Servers.class).create(fixture.client1User,
                new io.vippanel.servers.NewServer("custom", "sites-api-bare", null, null, "DEBIAN_12", "", "nginx", List.of("8.3"), "8.3",
                        "none", false, false, "198.51.100.33", "22", "root", "password", "a bootstrap password", null)));
        servers.markReady(bare.id());
        String site = sites.site(bare, SiteType.PHP);
        assertThat(fieldError(client1.send("POST", base(site) + "/databases", "{\"name\": \"nodb\"}"), "site"))
                .contains("this server has no database server".substring(1));
        assertThat(count("SELECT count(*) FROM site_databases WHERE site_id = ?", site)).isZero();
    }

    @Test
    void cronJobsAreValidatedByParsingAndShellMetacharactersAreRefused() {
        String site = sites.site(server1, SiteType.LARAVEL);
        assertThat(fieldError(client1.send("POST", base(site) + "/cron-jobs", "{\"expression\": \"61 * * * *\", \"command\": \"php x\"}"),
                "expression")).contains("minute");
        assertThat(fieldError(client1.send("POST", base(site) + "/cron-jobs", "{\"expression\": \"* * *\", \"command\": \"php x\"}"),
                "expression")).contains("five fields");
        for (String command : List.of("php artisan x; rm -rf /", "curl x | sh", "echo $HOME", "echo `id`", "php x > /tmp/out", "a && b")) {
            assertThat(fieldError(client1.send("POST", base(site) + "/cron-jobs",
                    JSON.writeValueAsString(Map.of("expression", "* * * * *", "command", command))), "command")).contains("without a shell");
        }
        assertThat(fieldError(client1.send("POST", base(site) + "/cron-jobs", "{\"expression\": \"* * * * *\", \"command\": \"a\\nb\"}"),
                "command")).contains("one line");
        assertThat(fieldError(client1.send("POST", base(site) + "/cron-jobs", JSON.writeValueAsString(Map.of("expression", "@daily",
                "command", "php x", "description", "d".repeat(201)))), "description")).contains("200");
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ?", site)).isZero();
        assertThat(count("SELECT count(*) FROM site_cron_jobs WHERE site_id = ?", site)).isZero();

        JsonNode created = json(client1.send("POST", base(site) + "/cron-jobs",
                "{\"expression\": \"  */5  * * * *\", \"command\": \"php artisan schedule:run\", \"description\": \"Scheduler\"}"), 201);
        String id = created.path("id").asString();
        assertThat(created.path("expression").asString()).isEqualTo("*/5 * * * *");
        assertThat(created.path("status").asString()).isEqualTo("pending");
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ? AND type = 'sites.cron'", site)).isEqualTo(1);
        assertThat(json(client1.send("GET", base(site) + "/cron-jobs", null), 200).toString()).contains(id);
        String output = json(client1.send("POST", base(site) + "/cron-jobs/" + id + "/output", null), 202).path("jobId").asString();
        JsonNode outputJob = json(client1.send("GET", "/api/v1/jobs/" + output, null), 200);
        assertThat(outputJob.path("type").asString()).isEqualTo("sites.cron-output");
        assertThat(outputJob.path("params").path("cronJob").asString()).isEqualTo(id);
        json(client1.send("DELETE", base(site) + "/cron-jobs/" + id, null), 202);
        assertThat(count("SELECT count(*) FROM site_cron_jobs WHERE id = ? AND status = 'removing'", id)).isEqualTo(1);
        assertThat(auditText(site)).contains("site.cron.created", "site.cron.output_read", "site.cron.deleted");
    }

    @Test
    void workersAreValidatedSplitIntoArgumentsRestartedAndRemoved() {
        String site = sites.site(server1, SiteType.LARAVEL);
        assertThat(fieldError(client1.send("POST", base(site) + "/workers", "{\"name\": \"q\", \"command\": \"php x\", \"processes\": 0}"),
                "processes")).contains("1 to 20");
        assertThat(fieldError(client1.send("POST", base(site) + "/workers", "{\"name\": \"q\", \"command\": \"php x\", \"processes\": 21}"),
                "processes")).contains("1 to 20");
        assertThat(fieldError(client1.send("POST", base(site) + "/workers", "{\"name\": \"q\", \"command\": \"php x | tee\"}"), "command"))
                .contains("without a shell");
        assertThat(fieldError(client1.send("POST", base(site) + "/workers",
                JSON.writeValueAsString(Map.of("name", "n".repeat(81), "command", "php x"))), "name")).contains("80");
        assertThat(client1.send("POST", base(site) + "/workers", "{\"name\": \"q\", \"command\": \"php x\", \"processes\": \"many\"}")
                .statusCode()).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id = ?", site)).isZero();

        JsonNode created = json(client1.send("POST", base(site) + "/workers",
                "{\"name\": \"queue\", \"command\": \"php artisan queue:work --queue='high,default' --tries=3\", \"processes\": 2}"), 201);
        String id = created.path("id").asString();
        assertThat(created.path("command").toString()).isEqualTo("[\"php\",\"artisan\",\"queue:work\",\"--queue=high,default\",\"--tries=3\"]");
        assertThat(created.path("processes").asInt()).isEqualTo(2);
        assertThat(fieldError(client1.send("POST", base(site) + "/workers", "{\"name\": \"Queue\", \"command\": \"php y\"}"), "name"))
                .contains("already");
        String restart = json(client1.send("POST", base(site) + "/workers/" + id + "/restart", null), 202).path("jobId").asString();
        JsonNode restartJob = json(client1.send("GET", "/api/v1/jobs/" + restart, null), 200);
        assertThat(restartJob.path("type").asString()).isEqualTo("sites.workers");
        assertThat(restartJob.path("params").path("restart").asString()).isEqualTo(id);
        json(client1.send("DELETE", base(site) + "/workers/" + id, null), 202);
        assertThat(count("SELECT count(*) FROM site_workers WHERE id = ? AND status = 'removing'", id)).isEqualTo(1);
        assertThat(auditText(site)).contains("site.worker.created", "site.worker.restarted", "site.worker.deleted");
    }

    @Test
    void anotherTenantsSiteAndItsPartsAreNotFound() {
        String site = sites.site(server1, SiteType.LARAVEL);
        sites.environment(site, "APP_KEY=" + SECRET_VALUE + "\n");
        String database = sites.database(site, "a-password-of-client-one");
        String cron = sites.cronJob(site);
        String worker = sites.worker(site);
        String own2 = sites.site(server2, SiteType.LARAVEL);
        String[][] calls = {{"GET", "/env", null}, {"PUT", "/env", "{\"dotenv\": \"A=1\"}"}, {"GET", "/databases", null},
                {"POST", "/databases", "{\"name\": \"stolen_db\"}"}, {"DELETE", "/databases/" + database, null},
                {"POST", "/databases/" + database + "/password", null}, {"GET", "/databases/" + database + "/password", null},
                {"GET", "/cron-jobs", null}, {"POST", "/cron-jobs", "{\"expression\": \"* * * * *\", \"command\": \"php x\"}"},
                {"DELETE", "/cron-jobs/" + cron, null}, {"POST", "/cron-jobs/" + cron + "/output", null}, {"GET", "/workers", null},
                {"POST", "/workers", "{\"name\": \"w\", \"command\": \"php x\"}"}, {"DELETE", "/workers/" + worker, null},
                {"POST", "/workers/" + worker + "/restart", null}};
        for (String[] call : calls) {
            HttpResponse<String> response = client2.send(call[0], base(site) + call[1], call[2]);
            assertThat(response.statusCode()).as(call[0] + " " + call[1] + ": " + response.body()).isEqualTo(404);
            assertThat(response.body()).doesNotContain(SECRET_VALUE, "a-password-of-client-one");
        }
        // The sub-resources of client1's site through client2's own site are not found either.
        for (String[] call : new String[][] {{"GET", "/databases/" + database + "/password"}, {"DELETE", "/databases/" + database},
                {"POST", "/cron-jobs/" + cron + "/output"}, {"POST", "/workers/" + worker + "/restart"}}) {
            HttpResponse<String> response = client2.send(call[0], base(own2) + call[1], null);
            assertThat(response.statusCode()).as(call[0] + " " + call[1] + ": " + response.body()).isEqualTo(404);
        }
        assertThat(client1.send("GET", base("site_notarealidnotarealid") + "/env", null).statusCode()).isEqualTo(404);
        assertThat(client1.send("GET", base(site) + "/databases/nonsense/password", null).statusCode()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM jobs WHERE target_id IN (?, ?)", site, own2)).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE target_id = ? AND action LIKE 'site.%'", site)).isZero();
        assertThat(count("SELECT count(*) FROM site_databases WHERE id = ? AND status = 'present'", database)).isEqualTo(1);
    }
}
