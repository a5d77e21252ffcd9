package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.sites.internal.SiteEvents;
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
 * The sites pages over HTTP, as a browser without JavaScript and as HTMX: every role sees them and every tab, the
 * wizard creates a site and its job together, refusals come back next to the fields with what was typed, secrets show
 * once, nobody reaches another tenant's site or what it holds, forms need the CSRF token, and the live stream tells
 * only those who may see.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SitesPagesTests {

    private static final Map<String, String> HTMX = Map.of("HX-Request", "true");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> TABS = List.of("overview", "deployments", "environment", "databases", "cron", "workers", "waf",
            "settings");

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    SiteServiceFixtures siteFixtures;
    JdbcClient jdbc;
    SystemTransactions system;
    Map<String, PanelClient> browsers;
    PanelClient client1;
    PanelClient client2;
    Server server;
    Server foreignServer;
    String site;
    String domain;
    String foreign;
    String database;
    String cronJob;
    String worker;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        ServerFixtures servers = new ServerFixtures(context);
        siteFixtures = new SiteServiceFixtures(context);
        jdbc = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        browsers = new LinkedHashMap<>();
        for (Actor actor : List.of(fixture.superadmin, fixture.admin, fixture.reseller1User, fixture.client1User)) {
            browsers.put(actor.role().dbValue(), PanelClient.browser(port).login(actor.email(), Fixture.PASSWORD));
        }
        client1 = browsers.get("client");
        client2 = PanelClient.browser(port).login(fixture.client2User.email(), Fixture.PASSWORD);
        String tag = fixture.client1.id().substring(4, 10).toLowerCase();
        server = servers.readyServer(fixture.client1User, "sites-" + tag, "198.51.100.30");
        foreignServer = servers.readyServer(fixture.client2User, "sites-other-" + tag, "198.51.100.31");
        site = siteFixtures.site(server, SiteType.LARAVEL);
        siteFixtures.environment(site, "APP_NAME=pages\nAPP_KEY=base64:pagesecret\n");
        database = siteFixtures.database(site, "the-database-password");
        cronJob = siteFixtures.cronJob(site);
        worker = siteFixtures.worker(site);
        domain = (String) query("SELECT domain FROM sites WHERE id = ?", site).getFirst().get("domain");
        foreign = siteFixtures.site(foreignServer, SiteType.STATIC);
    }

    @Test
    void everyRoleSeesTheListTheWizardAndEveryTab() {
        browsers.forEach((role, browser) -> {
            HttpResponse<String> list = browser.get("/sites?q=" + domain);
            assertThat(list.statusCode()).as(role).isEqualTo(200);
            assertThat(list.body()).as(role).contains("<!DOCTYPE html>", domain, "sse-connect=\"/events/sites\"",
                    "sse-swap=\"status-" + site + "\"", "status-chip-ready", server.name(), "Laravel", "href=\"/sites\"")
                    .doesNotContain(foreign);

            HttpResponse<String> wizard = browser.get("/sites/new");
            assertThat(wizard.statusCode()).as(role).isEqualTo(200);
            assertThat(wizard.body()).as(role).contains("id=\"site-wizard\"", "name=\"domain\"", "name=\"repositoryUrl\"", "WordPress");

            for (String tab : TABS) {
                HttpResponse<String> page = browser.get("/sites/" + site + "?tab=" + tab);
                assertThat(page.statusCode()).as(role + " " + tab).isEqualTo(200);
                assertThat(page.body()).as(role + " " + tab).contains("<!DOCTYPE html>", domain, "id=\"site-header\"", "id=\"tab-" + tab + "\"",
                        "sse-connect=\"/events/sites?site=" + site + "\"", "id=\"" + (tab.equals("deployments") ? "deployment-history" : tab) + "\"");
            }
        });
        HttpResponse<String> overview = client1.get("/sites/" + site);
        assertThat(overview.body()).contains("ssh-ed25519 AAAAfixture", "/hooks/sites/" + site, "Show the webhook secret", "Deploy keys")
                .doesNotContain("fixture webhook secret", "fixture deploy key");
        assertThat(client1.get("/sites/" + site + "?tab=environment").body()).contains("APP_KEY=base64:pagesecret", "name=\"apply\"");
        assertThat(client1.get("/sites/" + site + "?tab=databases").body()).contains(database, "Show password")
                .doesNotContain("the-database-password");
        assertThat(client1.get("/sites/" + site + "?tab=cron").body()).contains(cronJob, "*/5 * * * *", "php artisan inspire");
        assertThat(client1.get("/sites/" + site + "?tab=workers").body()).contains(worker, "php artisan queue:work");
        assertThat(client1.get("/sites/" + site + "?tab=settings").body()).contains("Type the domain", "name=\"nginxCustom\"");
        assertThat(client1.get("/sites/" + site + "?tab=nonsense").statusCode()).isEqualTo(404);
    }

    @Test
    void htmxGetsTheFragmentItAsksFor() {
        HttpResponse<String> tab = client1.get("/sites/" + site + "?tab=cron", HTMX);
        assertThat(tab.statusCode()).isEqualTo(200);
        assertThat(tab.body()).doesNotContain("<html").contains("id=\"site-tab\"", cronJob);
        assertThat(client1.get("/sites/" + site + "?part=header", HTMX).body().strip()).doesNotContain("<html").startsWith("<div id=\"site-header\"");
        assertThat(client1.get("/sites/" + site + "?tab=deployments&part=history", HTMX).body()).doesNotContain("<html")
                .contains("id=\"deployment-history\"", "No deployments yet.");
        assertThat(client1.get("/sites/" + site + "?tab=deployments&part=log", HTMX).body()).doesNotContain("<html")
                .contains("id=\"deployment-log-panel\"");
        assertThat(client1.get("/sites?q=" + domain, HTMX).body()).doesNotContain("<html").contains("id=\"site-results\"", domain);
        assertThat(client1.get("/sites/new?type=laravel&presetFor=php&serverId=" + server.id() + "&webRoot=", HTMX).body())
                .doesNotContain("<html").contains("id=\"site-wizard-choices\"", "value=\"public\"", "php artisan migrate --force");
        assertThat(client1.get("/sites/" + site + "?part=nonsense", HTMX).statusCode()).isEqualTo(404);
    }

    @Test
    void theListFiltersByServerAndSearchAndShowsAnEmptyState() {
        assertThat(client1.get("/sites?server=" + server.id()).body()).contains(domain);
        assertThat(client1.get("/sites?server=srv_nothing_here").body()).doesNotContain(domain).contains("No site matches");
        assertThat(client1.get("/sites?q=no-such-site-anywhere").body()).contains("No site matches");
        assertThat(client1.get("/sites?q=" + "x".repeat(101)).statusCode()).isEqualTo(422);
        PanelClient empty = PanelClient.browser(port).login(fixture.client1Other.email(), Fixture.PASSWORD);
        assertThat(empty.get("/sites").statusCode()).isEqualTo(200);
    }

    @Test
    void theWizardCreatesASiteAndItsJobTogether() {
        String newDomain = "new-" + fixture.client1.id().substring(4, 10).toLowerCase() + ".example.test";
        HttpResponse<String> created = client1.postForm("/sites", wizard(newDomain));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/sites/site_[A-Za-z0-9_-]+");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> row = query("SELECT status, domain, server_id, tenant_id, last_job_id FROM sites WHERE id = ?", id).getFirst();
        assertThat(row).containsEntry("status", "queued").containsEntry("domain", newDomain).containsEntry("server_id", server.id())
                .containsEntry("tenant_id", fixture.client1.id());
        assertThat(query("SELECT status, target_id FROM jobs WHERE id = ?", row.get("last_job_id")).getFirst())
                .containsEntry("status", "queued").containsEntry("target_id", id);
        assertThat(client1.get("/sites/" + id).body()).contains(newDomain + " is queued", "status-chip-provisioning");

        HttpResponse<String> htmx = client1.postForm("/sites", wizard("htmx-" + newDomain), HTMX);
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("HX-Redirect").orElseThrow()).contains("/sites/site_");
    }

    @Test
    void theWizardInstallsWordPressAndShowsTheAdministratorsPasswordOnce() {
        Map<String, String> form = wizard("wp-" + fixture.client1.id().substring(4, 10).toLowerCase() + ".example.test");
        form.put("type", "wordpress");
        form.put("presetFor", "wordpress");
        assertThat(client1.get("/sites/new?" + urlEncoded(form)).body()).as("the wizard asks for the administrator")
                .contains("name=\"wordpressAdminUser\"", "name=\"wordpressAdminEmail\"", "name=\"wordpressTitle\"");
        form.put("wordpressAdminUser", "has space");
        form.put("wordpressAdminEmail", "editor@example.test");
        HttpResponse<String> refused = client1.postForm("/sites", form);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("no spaces", "value=\"editor@example.test\"");

        form.put("wordpressAdminUser", "editor");
        // a secret shown once: the answer itself is the site's page with it, not a redirect to a page that could be shown again
        HttpResponse<String> created = client1.postForm("/sites", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String page = created.headers().firstValue("HX-Push-Url").orElseThrow();
        assertThat(page).matches("/sites/site_[A-Za-z0-9_-]+");
        assertThat(created.body()).contains("id=\"wordpress-admin\"", "shown this once", "editor");
        String password = created.body().replaceAll("(?s).*id=\"wordpress-admin-password\">([^<]+)<.*", "$1");
        assertThat(password).hasSize(24);
        assertThat(client1.get(page).body()).as("the site's own page").doesNotContain("wordpress-admin", password);
    }

    @Test
    void aStaticSiteDeploysAnUploadedArchiveFromItsDeploymentsTab() throws java.io.IOException {
        String staticSite = siteFixtures.site(server, SiteType.STATIC);
        assertThat(client1.get("/sites/" + staticSite + "?tab=deployments").body()).contains("id=\"archive-upload\"", "enctype=\"multipart/form-data\"");
        assertThat(client1.get("/sites/" + site + "?tab=deployments").body()).as("a Laravel site deploys from git").doesNotContain("archive-upload");

        java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(archive)) {
            gzip.write(new byte[512]);
        }
        long before = (Long) query("SELECT count(*) AS n FROM site_deployments WHERE site_id = ?", staticSite).getFirst().get("n");
        HttpResponse<String> notAnArchive = client1.postFile("/sites/" + staticSite + "/deploy-archive", "archive", "notes.txt",
                "just text".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(notAnArchive.statusCode()).isEqualTo(422);
        assertThat(notAnArchive.body()).contains("Upload a .tar.gz, .tgz or .zip");
        HttpResponse<String> foreignSite = client2.postFile("/sites/" + staticSite + "/deploy-archive", "archive", "site.tar.gz",
                archive.toByteArray());
        assertThat(foreignSite.statusCode()).isEqualTo(404);
        assertThat((Long) query("SELECT count(*) AS n FROM site_deployments WHERE site_id = ?", staticSite).getFirst().get("n")).isEqualTo(before);

        HttpResponse<String> uploaded = client1.postFile("/sites/" + staticSite + "/deploy-archive", "archive", "site.tar.gz",
                archive.toByteArray());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(302);
        assertThat(uploaded.headers().firstValue("Location").orElseThrow()).contains("/sites/" + staticSite, "tab=deployments");
        assertThat(query("SELECT status, trigger FROM site_deployments WHERE site_id = ?", staticSite).getFirst())
                .containsEntry("status", "queued").containsEntry("trigger", "manual");
    }

    private static String urlEncoded(Map<String, String> form) {
        return form.entrySet().stream().map(entry -> entry.getKey() + "=" + java.net.URLEncoder.encode(entry.getValue(),
                java.nio.charset.StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&"));
    }

    @Test
    void aRefusedWizardKeepsEveryAnswerAndSaysWhyNextToTheFields() {
        Map<String, String> form = wizard("not a domain!");
        form.put("aliases", "www.kept.example.test");
        form.put("branch", "kept-branch");
        HttpResponse<String> refused = client1.postForm("/sites", form);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("<!DOCTYPE html>", "id=\"wizard-errors\"", "id=\"domain-error\"", "value=\"not a domain!\"",
                "www.kept.example.test", "value=\"kept-branch\"");

        Map<String, String> badNumber = wizard("fine.example.test");
        badNumber.put("keepReleases", "many");
        HttpResponse<String> number = client1.postForm("/sites", badNumber);
        assertThat(number.statusCode()).isEqualTo(422);
        assertThat(number.body()).contains("id=\"keepReleases-error\"", "value=\"many\"");

        Map<String, String> foreignServerForm = wizard("fine-too.example.test");
        foreignServerForm.put("serverId", foreignServer.id());
        HttpResponse<String> other = client1.postForm("/sites", foreignServerForm);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.body()).contains("id=\"serverId-error\"");
        assertThat(query("SELECT count(*) AS n FROM sites WHERE domain IN ('fine.example.test', 'fine-too.example.test')").getFirst().get("n"))
                .isEqualTo(0L);
    }

    @Test
    void actionsAnswerWithARedirectOrTheirFormsErrors() {
        siteFixtures.settle(site);
        HttpResponse<String> badSettings = client1.postForm(action("settings"), Map.of("webRoot", "../outside", "keepReleases", "5",
                "aliases", "", "branch", "main"));
        assertThat(badSettings.statusCode()).isEqualTo(422);
        assertThat(badSettings.body()).contains("id=\"webRoot-error\"", "value=\"../outside\"", "id=\"tab-settings\"");

        HttpResponse<String> wrongDomain = client1.postForm(action("delete"), Map.of("confirm", "something-else.example"));
        assertThat(wrongDomain.statusCode()).isEqualTo(422);
        assertThat(wrongDomain.body()).contains("id=\"confirm-error\"", "value=\"something-else.example\"");

        HttpResponse<String> badCron = client1.postForm(action("cron"), Map.of("expression", "every day", "command", "php artisan kept"));
        assertThat(badCron.statusCode()).isEqualTo(422);
        assertThat(badCron.body()).contains("id=\"expression-error\"", "value=\"php artisan kept\"");

        HttpResponse<String> badWorker = client1.postForm(action("workers"), Map.of("name", "q", "command", "php artisan queue:work",
                "processes", "lots"));
        assertThat(badWorker.statusCode()).isEqualTo(422);
        assertThat(badWorker.body()).contains("id=\"processes-error\"", "value=\"lots\"");

        HttpResponse<String> badWaf = client1.postForm(action("waf"), Map.of("mode", "maximum"));
        assertThat(badWaf.statusCode()).isEqualTo(422);
        assertThat(badWaf.body()).contains("id=\"mode-error\"");

        HttpResponse<String> noRepository = client1.postForm(action("deploy"), Map.of());
        assertThat(noRepository.statusCode()).isEqualTo(422);
        assertThat(noRepository.body()).contains("no repository to deploy from");

        HttpResponse<String> waf = client1.postForm(action("waf"), Map.of("mode", "detect"));
        assertThat(waf.statusCode()).isEqualTo(302);
        assertThat(waf.headers().firstValue("Location").orElseThrow()).endsWith("/sites/" + site + "?tab=waf");
        siteFixtures.settle(site);

        HttpResponse<String> cron = client1.postForm(action("cron"), Map.of("expression", "0 3 * * *", "command", "php artisan backup:run",
                "description", "nightly"));
        assertThat(cron.statusCode()).isEqualTo(302);
        assertThat(client1.get("/sites/" + site + "?tab=cron").body()).contains("php artisan backup:run", "nightly");
        siteFixtures.settle(site);

        HttpResponse<String> output = client1.postForm(action("cron/" + cronJob + "/output"), Map.of());
        assertThat(output.statusCode()).isEqualTo(302);
        String outputPage = output.headers().firstValue("Location").orElseThrow();
        assertThat(outputPage).contains("tab=cron&outputJob=job_");
        assertThat(client1.get(outputPage.substring(outputPage.indexOf("/sites"))).body()).contains("id=\"cron-output\"", "Reading it from the server");
    }

    @Test
    void secretsShowOnceAndTheShowingIsAudited() {
        siteFixtures.settle(site);
        HttpResponse<String> secret = client1.postForm(action("webhook-secret"), Map.of());
        assertThat(secret.statusCode()).isEqualTo(200);
        assertThat(secret.body()).contains("id=\"webhook-secret\"", "fixture webhook secret");
        assertThat(client1.get("/sites/" + site).body()).doesNotContain("fixture webhook secret");

        HttpResponse<String> password = client1.postForm(action("databases/" + database + "/reveal"), Map.of());
        assertThat(password.statusCode()).isEqualTo(200);
        assertThat(password.body()).contains("id=\"database-password\"", "the-database-password");

        HttpResponse<String> created = client1.postForm(action("databases"), Map.of("name", "shop_" + fixture.client1.id().substring(4, 9).toLowerCase(),
                "username", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("id=\"database-password\"", "shown once");
        assertThat(eventually(() -> query("SELECT count(*) AS n FROM audit_log WHERE target_id = ? AND action LIKE 'site.%'", site)
                .getFirst().get("n"), n -> ((Long) n) >= 2)).as("the showings are audited").isNotNull();
        siteFixtures.settle(site);
    }

    @Test
    void anotherTenantsSiteAndWhatItHoldsAreNotFound() {
        for (String tab : TABS) {
            assertThat(client2.get("/sites/" + site + "?tab=" + tab).statusCode()).as(tab).isEqualTo(404);
        }
        assertThat(client2.get("/sites/" + site + "?part=header", HTMX).statusCode()).isEqualTo(404);
        assertThat(client2.peekStream("/events/sites?site=" + site).statusCode()).isEqualTo(404);
        for (String action : List.of("deploy", "suspend", "unsuspend", "webhook-secret", "settings", "waf", "environment", "databases", "cron",
                "workers", "databases/" + database + "/reveal", "databases/" + database + "/password", "databases/" + database + "/delete",
                "cron/" + cronJob + "/output", "cron/" + cronJob + "/delete", "workers/" + worker + "/restart", "workers/" + worker + "/delete",
                "deployments/dep_unknown/rollback")) {
            HttpResponse<String> response = client2.postForm(action(action), Map.of("mode", "block", "apply", "write", "dotenv", "X=1"));
            assertThat(response.statusCode()).as(action).isEqualTo(404);
            assertThat(response.body()).as(action).doesNotContain(domain);
        }
        assertThat(client2.postForm(action("delete"), Map.of("confirm", domain)).statusCode()).isEqualTo(404);
        assertThat(client2.get("/sites").body()).doesNotContain(site, domain);
        assertThat(query("SELECT status, waf FROM sites WHERE id = ?", site).getFirst()).containsEntry("status", "ready");
    }

    @Test
    void formsNeedTheCsrfToken() {
        assertThat(client1.postRawForm(action("suspend"), Map.of()).statusCode()).isEqualTo(403);
        assertThat(client1.postRawForm("/sites", wizard("csrf.example.test")).statusCode()).isEqualTo(403);
        assertThat(query("SELECT status FROM sites WHERE id = ?", site).getFirst()).containsEntry("status", "ready");
    }

    @Test
    void theLiveStreamTellsTheOwnerAndNotTheSiblingReseller() {
        PanelClient sibling = PanelClient.browser(port).login(fixture.reseller2User.email(), Fixture.PASSWORD);
        SiteEvents events = context.getBean(SiteEvents.class);
        try (EventStream owner = client1.openEvents("/events/sites"); EventStream onePage = client1.openEvents("/events/sites?site=" + site);
             EventStream cousin = sibling.openEvents("/events/sites")) {
            assertThat(owner.status()).isEqualTo(200);
            assertThat(owner.contentType()).startsWith("text/event-stream");

            system.run(() -> events.changed(tenantPath(fixture.client1.id()), site, "failed", "disk full"));
            system.run(() -> events.changed(tenantPath(fixture.client2.id()), foreign, "creating", null));

            assertThat(owner.await(event -> event.name().equals("status-" + site), WAIT).data()).contains("status-chip-failed", "failed");
            owner.await(event -> event.name().equals("site-status"), WAIT);
            onePage.await(event -> event.name().equals("status-" + site), WAIT);
            cousin.await(event -> event.name().equals("status-" + foreign), WAIT);
            assertThat(cousin.received()).noneMatch(event -> event.name().equals("status-" + site));
            assertThat(owner.received()).noneMatch(event -> event.name().equals("status-" + foreign));
        }
    }

    private String action(String name) {
        return "/sites/" + site + "/" + name;
    }

    private Map<String, String> wizard(String newDomain) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("serverId", server.id());
        form.put("type", "php");
        form.put("domain", newDomain);
        form.put("aliases", "");
        form.put("phpVersion", "8.3");
        form.put("webRoot", "");
        form.put("repositoryUrl", "");
        form.put("branch", "main");
        form.put("deployScript", "");
        form.put("keepReleases", "5");
        return form;
    }

    /** Reads until {@code done} accepts the value (audit entries are written after the request), at most {@link #WAIT}; null if never. */
    private static Object eventually(java.util.function.Supplier<Object> read, java.util.function.Predicate<Object> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Object value = read.get();
            if (done.test(value)) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }

    private String tenantPath(String tenantId) {
        return (String) query("SELECT path FROM tenants WHERE id = ?", tenantId).getFirst().get("path");
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        return system.call(() -> jdbc.sql(sql).params(params).query().listOfRows());
    }
}
