package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.ProvisioningTestProperties;
import io.vippanel.servers.Server;
import io.vippanel.servers.Servers;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import io.vippanel.tenancy.SystemTransactions;
import java.net.http.HttpResponse;
import java.util.Map;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A site's environment, databases, cron jobs and workers through the REST API with a real worker, real ansible and
 * the real playbooks, on one provisioned test host; every result is checked on the host itself. The site's user and
 * folders are laid out on the host as site.yml lays them out, so that these tests depend on the service playbooks only.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteServicesFlowTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "site_services");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JobWatch watch;
    PanelClient api;
    ReadyServer server;
    TestManagedServer host;
    String site;
    String user;
    String databaseId;
    String databaseName;
    String password;
    String workerId;

    @BeforeAll
    void setUp() throws Exception {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, ReadyServer.patience());
        api = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        server = ReadyServer.provision(api, watch, "services-flow");
        host = server.host();
        Server row = Fixture.as(fixture.client1User, () -> context.getBean(Servers.class).get(fixture.client1User, server.id()));
        SiteServiceFixtures sites = new SiteServiceFixtures(context);
        site = sites.site(row, SiteType.PHP, ReadyServer.phpVersion());
        user = sites.systemUser(site);
        // What site.yml leaves behind for a site with one release: the user, its home and the release layout.
        exec("useradd --create-home --home-dir /home/" + user + " --shell /bin/bash --user-group " + user
                + " && chmod 0750 /home/" + user
                + " && runuser -u " + user + " -- mkdir -p /home/" + user + "/site/releases/20260101000000 /home/" + user
                + "/site/shared /home/" + user + "/logs /home/" + user + "/tmp"
                + " && runuser -u " + user + " -- ln -sfn releases/20260101000000 /home/" + user + "/site/current");
    }

    @AfterAll
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private String exec(String command) {
        TestManagedServer.ExecResult result = host.exec(command);
        assertThat(result.exitCode()).as("%s%n%s", command, result.output()).isZero();
        return result.output();
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private Job succeeded(String jobId) {
        Job job = watch.awaitFinal(jobId);
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private String base() {
        return "/api/v1/sites/" + site;
    }

    private boolean mariadbLogin(String name, String secret) {
        return host.exec("mariadb -u " + name + " -p" + secret + " -h 127.0.0.1 -N -e 'SELECT 1' " + name).succeeded();
    }

    @Test
    @Order(1)
    void theEnvironmentIsWrittenForTheSiteUserOnly() {
        String dotenv = "APP_NAME=\"Flow Shop\"\nAPP_SECRET=flow-secret-value-123\n";
        String jobId = json(api.send("PUT", base() + "/env", JSON.writeValueAsString(Map.of("dotenv", dotenv, "apply", "reload"))), 202)
                .path("jobId").asString();
        Job job = succeeded(jobId);
        assertThat(job.result().toString()).contains("\"written\":true").doesNotContain("flow-secret-value-123");
        assertThat(String.join("\n", watch.lines(jobId))).doesNotContain("flow-secret-value-123");
        String file = "/home/" + user + "/site/shared/.env";
        assertThat(exec("stat -c '%a %U %G' " + file).strip()).isEqualTo("600 " + user + " " + user);
        assertThat(exec("cat " + file)).isEqualTo(dotenv);

        Job again = succeeded(json(api.send("PUT", base() + "/env", JSON.writeValueAsString(Map.of("dotenv", dotenv))), 202)
                .path("jobId").asString());
        assertThat(again.result().path("written").asBoolean()).isFalse();
    }

    @Test
    @Order(2)
    void aDatabaseLogsInWithTheShownPasswordUntilItIsChangedAndIsDroppedOnDelete() {
        databaseName = "flow_shop";
        JsonNode created = json(api.send("POST", base() + "/databases", "{\"name\": \"" + databaseName + "\"}"), 201);
        databaseId = created.path("database").path("id").asString();
        password = created.path("password").asString();
        Job job = succeeded(created.path("jobId").asString());
        assertThat(job.result().toString()).contains(databaseName).doesNotContain(password);
        assertThat(String.join("\n", watch.lines(job.id()))).doesNotContain(password);
        assertThat(json(api.send("GET", base() + "/databases", null), 200).get(0).path("status").asString()).isEqualTo("present");
        assertThat(mariadbLogin(databaseName, password)).as("login with the shown password").isTrue();

        JsonNode changed = json(api.send("POST", base() + "/databases/" + databaseId + "/password", null), 200);
        String newPassword = changed.path("password").asString();
        succeeded(changed.path("jobId").asString());
        assertThat(mariadbLogin(databaseName, newPassword)).as("login with the new password").isTrue();
        assertThat(mariadbLogin(databaseName, password)).as("login with the old password").isFalse();

        succeeded(json(api.send("DELETE", base() + "/databases/" + databaseId, null), 202).path("jobId").asString());
        assertThat(json(api.send("GET", base() + "/databases", null), 200).size()).isZero();
        assertThat(exec("mariadb -N -e 'SHOW DATABASES'")).doesNotContain(databaseName);
        assertThat(exec("mariadb -N -e 'SELECT user FROM mysql.user'")).doesNotContain(databaseName);
    }

    @Test
    @Order(3)
    void aCronJobIsInstalledAndItsOutputReadBack() {
        JsonNode created = json(api.send("POST", base() + "/cron-jobs",
                "{\"expression\": \"17 3 * * *\", \"command\": \"echo 'cron ran here'\", \"description\": \"Flow\"}"), 201);
        String cronId = created.path("id").asString();
        succeeded(latestJob("sites.cron"));
        assertThat(json(api.send("GET", base() + "/cron-jobs", null), 200).get(0).path("status").asString()).isEqualTo("applied");
        String cronFile = exec("cat /etc/cron.d/vip-" + user);
        assertThat(cronFile).contains("# job " + cronId).contains("17 3 * * * " + user + " ");

        Job before = succeeded(json(api.send("POST", base() + "/cron-jobs/" + cronId + "/output", null), 202).path("jobId").asString());
        assertThat(before.result().path("finishedAt").asString()).isEmpty();
        // Run the job's line as cron would: its command part, by /bin/sh, as the site user.
        exec("line=$(grep -A1 '^# job " + cronId + "$' /etc/cron.d/vip-" + user + " | tail -n 1 | cut -d' ' -f7-)"
                + " && runuser -u " + user + " -- /bin/sh -c \"$line\"");
        Job after = succeeded(json(api.send("POST", base() + "/cron-jobs/" + cronId + "/output", null), 202).path("jobId").asString());
        assertThat(after.result().path("output").asString()).contains("cron ran here");
        assertThat(after.result().path("exitCode").asInt()).isZero();
        assertThat(after.result().path("finishedAt").asString()).isNotEmpty();

        succeeded(json(api.send("DELETE", base() + "/cron-jobs/" + cronId, null), 202).path("jobId").asString());
        assertThat(json(api.send("GET", base() + "/cron-jobs", null), 200).size()).isZero();
        assertThat(host.exec("grep -q " + cronId + " /etc/cron.d/vip-" + user).succeeded()).isFalse();
    }

    @Test
    @Order(4)
    void aWorkerRunsUnderTheProcessManagerRestartsAndStopsWhenDeleted() {
        JsonNode created = json(api.send("POST", base() + "/workers", "{\"name\": \"sleeper\", \"command\": \"sleep 3600\", \"processes\": 2}"), 201);
        workerId = created.path("id").asString();
        Job job = succeeded(latestJob("sites.workers"));
        assertThat(job.result().path("workers").path(workerId).asString()).isEqualTo("active");
        JsonNode listed = json(api.send("GET", base() + "/workers", null), 200).get(0);
        assertThat(listed.path("status").asString()).isEqualTo("active");
        assertThat(listed.path("checkedAt").isNull()).isFalse();
        String program = "vip-" + user + "-" + workerId;
        assertThat(exec("supervisorctl status")).contains(program).contains("RUNNING");
        String pidsBefore = exec("pgrep -u " + user + " -f 'sleep 3600' | sort");
        assertThat(pidsBefore.strip().lines()).hasSize(2);

        succeeded(json(api.send("POST", base() + "/workers/" + workerId + "/restart", null), 202).path("jobId").asString());
        String pidsAfter = exec("pgrep -u " + user + " -f 'sleep 3600' | sort");
        assertThat(pidsAfter.strip().lines()).hasSize(2);
        assertThat(pidsAfter).isNotEqualTo(pidsBefore);

        succeeded(json(api.send("DELETE", base() + "/workers/" + workerId, null), 202).path("jobId").asString());
        assertThat(json(api.send("GET", base() + "/workers", null), 200).size()).isZero();
        assertThat(host.exec("supervisorctl status").output()).doesNotContain(program);
        assertThat(host.exec("pgrep -u " + user + " -f 'sleep 3600'").succeeded()).isFalse();
    }

    /** The newest job of a type on the site (create calls answer with the item, not the job). */
    private String latestJob(String type) {
        return context.getBean(SystemTransactions.class).call(() -> JdbcClient.create(context.getBean(DataSource.class))
                .sql("SELECT id FROM jobs WHERE target_id = ? AND type = ? ORDER BY queued_at DESC LIMIT 1")
                .params(site, type).query(String.class).single());
    }
}
