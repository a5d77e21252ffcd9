package io.vippanel.ssl;

import static io.vippanel.support.HeadlessChromium.clickNav;
import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.visible;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.jobs.RecurringWork;
import io.vippanel.servers.ProvisioningTestProperties;
import io.vippanel.sites.ReadyServer;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PebbleServer;
import io.vippanel.support.PowerDnsServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Certificates end to end with real parts: a real Pebble CA that resolves names through a real PowerDNS, a site on a
 * provisioned test host whose A records the panel wrote into its managed zone, HTTP-01 answered by the site's nginx,
 * the certificate deployed and checked with {@code curl --cacert <pebble root>}, a DNS-01 wildcard, a forced renewal
 * seen by the served-certificate check, and the refusals (bad input, another tenant). Step timings are printed for
 * bench/RESULTS.md.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificateFlowTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration JOB = Duration.ofMinutes(4);

    static PowerDnsServer pdns;
    static PebbleServer pebble;
    static Path pebbleRoot;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PowerDnsServer.assumeUsable();
        PebbleServer.assumeUsable();
        pdns = PowerDnsServer.start();
        pebble = PebbleServer.start(pdns.dnsPort(), 80);
        pebbleRoot = Files.createTempFile("vip-pebble-root", ".pem");
        Files.writeString(pebbleRoot, pebble.rootCertificatePem());
        ProvisioningTestProperties.register(registry, "certflow");
        registry.add("vip.ssl.acme-directory", () -> pebble.directoryUrl().toString());
        registry.add("vip.ssl.acme-trust-roots", () -> pebble.tlsTrustFile().toString());
        registry.add("vip.ssl.site-trust-roots", () -> pebbleRoot.toString());
        registry.add("vip.dns.propagation-interval", () -> "200ms");
        registry.add("vip.dns.propagation-timeout", () -> "20s");
        // WordPress core from the Debian package, packed on the test host the way wordpress.org packs it
        registry.add("vip.sites.wordpress-archive", () -> "file:///srv/wordpress/wordpress.tar.gz");
        registry.add("vip.sites.wordpress-checksum", () -> "sha1:file:///srv/wordpress/wordpress.tar.gz.sha1");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    private final HeadlessChromium chromium = new HeadlessChromium("ssl");
    Fixture fixture;
    JobWatch watch;
    PanelClient client;
    PanelClient otherClient;
    ReadyServer server;
    String zone;
    String siteId;
    String certificateId;
    String firstSerial;

    @BeforeAll
    void setUp() throws Exception {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, JOB);
        client = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        otherClient = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        PanelClient admin = PanelClient.api(port, fixture.tokenOf(fixture.admin));
        json(admin.send("PUT", "/api/v1/ssl/acme-accounts", """
                {"contactEmail": "ops@example.com", "acceptTerms": true}"""), 200);
        PanelClient reseller = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        String account = json(reseller.send("POST", "/api/v1/dns/accounts", """
                {"kind": "powerdns", "name": "Platform DNS", "shared": true, "apiUrl": "%s", "apiKey": "%s",
                 "nameservers": ["ns1.panel.test", "ns2.panel.test"], "checkServers": ["127.0.0.1:%d"]}"""
                .formatted(pdns.apiUrl(), pdns.apiKey(), pdns.dnsPort())), 201).path("id").asString();
        zone = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        JsonNode created = json(client.send("POST", "/api/v1/dns/zones", """
                {"accountId": "%s", "name": "%s"}""".formatted(account, zone)), 201);
        succeeded(created.path("jobId").asString());
        server = ReadyServer.provision(client, new JobWatch(context, fixture.superadmin, ReadyServer.patience()), "cert-host");
        JsonNode site = json(client.send("POST", "/api/v1/sites", """
                {"serverId": "%s", "type": "static", "domain": "%s", "aliases": "www.%s"}""".formatted(server.id(), zone, zone)), 201);
        siteId = site.path("site").path("id").asString();
        succeeded(site.path("jobId").asString());
        awaitZoneApplied(created.path("zone").path("id").asString());
    }

    @AfterAll
    void tearDown() throws Exception {
        chromium.close();
        if (server != null) {
            server.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (pdns != null) {
            pdns.close();
        }
        Files.deleteIfExists(pebbleRoot);
    }

    @Test
    @Order(1)
    void http01IssuesTheCertificateAndTheSiteServesItOverHttps() throws Exception {
        assertThat(client.get("/api/v1/sites/" + siteId + "/certificate").statusCode()).isEqualTo(404);
        JsonNode queued = json(client.send("POST", "/api/v1/sites/" + siteId + "/certificate", "{\"hsts\": true}"), 202);
        certificateId = queued.path("certificate").path("id").asString();
        assertThat(queued.path("certificate").path("status").asString()).isEqualTo("pending");
        Job job = succeeded(queued.path("jobId").asString());
        assertThat(String.join("\n", watch.lines(job.id()))).contains("HTTP-01", "Port 443 of " + zone + " serves the certificate");

        JsonNode certificate = json(client.get("/api/v1/certificates/" + certificateId), 200);
        assertThat(certificate.path("status").asString()).isEqualTo("valid");
        assertThat(certificate.path("source").asString()).isEqualTo("acme");
        assertThat(certificate.toString()).doesNotContain("PRIVATE KEY");
        assertThat(certificate.path("certificateNames").toString()).contains(zone, "www." + zone);
        assertThat(certificate.path("served").path("matchesIssued").asBoolean()).isTrue();
        assertThat(certificate.path("served").path("trusted").asBoolean()).isTrue();
        assertThat(certificate.path("renewAfter").isNull()).isFalse();
        firstSerial = certificate.path("serial").asString();
        timings("HTTP-01", certificate);

        String https = curl("-sS", "-o", "/dev/null", "-D", "-", "--cacert", pebbleRoot.toString(), "--resolve",
                zone + ":443:" + server.address(), "https://" + zone + "/");
        assertThat(https).as("curl over HTTPS with Pebble's root").contains("strict-transport-security: max-age=31536000");
        String http = curl("-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--resolve", zone + ":80:" + server.address(),
                "http://" + zone + "/page");
        assertThat(http).isEqualTo("301 https://" + zone + "/page");
    }

    @Test
    @Order(2)
    void dns01IssuesAWildcardThroughTheManagedZone() throws Exception {
        JsonNode queued = json(client.send("POST", "/api/v1/sites/" + siteId + "/certificate", """
                {"challenge": "dns-01", "wildcard": true}"""), 202);
        Job job = succeeded(queued.path("jobId").asString());
        assertThat(String.join("\n", watch.lines(job.id()))).contains("_acme-challenge." + zone, "DNS-01");
        JsonNode certificate = json(client.get("/api/v1/sites/" + siteId + "/certificate"), 200);
        assertThat(certificate.path("certificateNames").toString()).contains("*." + zone);
        assertThat(certificate.path("challenge").asString()).isEqualTo("dns-01");
        assertThat(certificate.path("served").path("matchesIssued").asBoolean()).isTrue();
        assertThat(certificate.path("stepTimings").has("dns")).isTrue();
        timings("DNS-01 wildcard", certificate);
        // The challenge records are gone from the zone again.
        assertThat(pdns.dig("@127.0.0.1", "-p", Integer.toString(pdns.dnsPort()), "+short", "TXT", "_acme-challenge." + zone)).isBlank();
        String https = curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pebbleRoot.toString(), "--resolve",
                "www." + zone + ":443:" + server.address(), "https://www." + zone + "/");
        assertThat(https).matches("\\d{3}");
    }

    @Test
    @Order(3)
    void aForcedRenewalChangesTheServedSerialAndTheServedCheckSeesIt() throws Exception {
        String before = json(client.get("/api/v1/certificates/" + certificateId), 200).path("serial").asString();
        JsonNode queued = json(client.send("POST", "/api/v1/certificates/" + certificateId + "/renew", null), 202);
        succeeded(queued.path("jobId").asString());
        String after = json(client.get("/api/v1/certificates/" + certificateId), 200).path("serial").asString();
        assertThat(after).isNotEqualTo(before).isNotEqualTo(firstSerial);

        servedCheck().run();
        JsonNode checked = json(client.get("/api/v1/certificates/" + certificateId), 200);
        assertThat(checked.path("served").path("serial").asString()).isEqualToIgnoringCase(after);
        assertThat(checked.path("served").path("matchesIssued").asBoolean()).isTrue();
        assertThat(checked.path("alert").isNull()).isTrue();
        String served = curl("-sS", "-v", "-o", "/dev/null", "--cacert", pebbleRoot.toString(), "--resolve",
                zone + ":443:" + server.address(), "https://" + zone + "/");
        assertThat(served).containsIgnoringCase("SSL certificate verify ok");
    }

    @Test
    @Order(4)
    void aCertificateSwappedBehindThePanelsBackRaisesAnAlert() throws Exception {
        // Someone puts another certificate in place on the server: the served check notices and tells the tenant.
        assertThat(server.host().exec("cd /etc/ssl/vip-sites/" + siteId + " && openssl req -x509 -newkey ec -pkeyopt "
                + "ec_paramgen_curve:P-256 -nodes -subj /CN=" + zone + " -days 30 -keyout privkey.pem -out fullchain.pem 2>&1"
                + " && nginx -s reload").succeeded()).isTrue();
        Thread.sleep(1_000);
        servedCheck().run();
        JsonNode checked = json(client.get("/api/v1/certificates/" + certificateId), 200);
        assertThat(checked.path("served").path("matchesIssued").asBoolean()).isFalse();
        assertThat(checked.path("alert").asString()).contains("serves another certificate");
        PanelClient browser = PanelClient.browser(port).login(fixture.client1User.email(), Fixture.PASSWORD);
        assertThat(browser.get("/ssl/attention").body()).contains(zone, "serves another certificate");
        assertThat(otherClient.get("/api/v1/certificates").body()).doesNotContain(certificateId);

        // Renewing puts the panel's certificate back and resolves the alert.
        succeeded(json(client.send("POST", "/api/v1/certificates/" + certificateId + "/renew", null), 202).path("jobId").asString());
        JsonNode renewed = json(client.get("/api/v1/certificates/" + certificateId), 200);
        assertThat(renewed.path("alert").isNull()).isTrue();
        assertThat(renewed.path("served").path("matchesIssued").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void badInputAndOtherTenantsAreRefusedAndChangeNothing() {
        JsonNode wildcard = json(client.send("POST", "/api/v1/sites/" + siteId + "/certificate", """
                {"challenge": "http-01", "wildcard": true}"""), 422);
        assertThat(wildcard.path("errors").path("wildcard").asString()).contains("DNS-01");
        JsonNode challenge = json(client.send("POST", "/api/v1/sites/" + siteId + "/certificate", """
                {"challenge": "tls-alpn-01"}"""), 422);
        assertThat(challenge.path("errors").path("challenge").asString()).contains("automatic, http-01 or dns-01");
        JsonNode noKey = json(client.send("PUT", "/api/v1/sites/" + siteId + "/certificate", """
                {"certificate": "not a certificate"}"""), 422);
        assertThat(noKey.path("errors").has("certificate")).isTrue();
        JsonNode certificate = json(client.get("/api/v1/certificates/" + certificateId), 200);
        assertThat(certificate.path("status").asString()).isEqualTo("valid");

        assertThat(otherClient.get("/api/v1/certificates/" + certificateId).statusCode()).isEqualTo(404);
        assertThat(otherClient.get("/api/v1/sites/" + siteId + "/certificate").statusCode()).isEqualTo(404);
        assertThat(otherClient.send("POST", "/api/v1/sites/" + siteId + "/certificate", "{}").statusCode()).isEqualTo(404);
        assertThat(otherClient.send("POST", "/api/v1/certificates/" + certificateId + "/renew", null).statusCode()).isEqualTo(404);
        assertThat(json(otherClient.get("/api/v1/certificates"), 200).path("total").asLong()).isZero();
    }

    @Test
    @Order(6)
    void aWordPressSiteMovesToItsHttpsAddress() throws Exception {
        assertThat(server.host().exec("set -e; rm -rf /srv/wordpress; mkdir -p /srv/wordpress/build;"
                + " cp -rL /usr/share/wordpress /srv/wordpress/build/wordpress;"
                + " rm -f /srv/wordpress/build/wordpress/wp-config.php /srv/wordpress/build/wordpress/.htaccess;"
                + " tar -czf /srv/wordpress/wordpress.tar.gz -C /srv/wordpress/build wordpress;"
                + " sha1sum /srv/wordpress/wordpress.tar.gz | cut -d' ' -f1 | tr -d '\\n' > /srv/wordpress/wordpress.tar.gz.sha1;"
                + " rm -rf /srv/wordpress/build").succeeded()).isTrue();
        String blog = "blog." + zone;
        JsonNode created = json(client.send("POST", "/api/v1/sites", """
                {"serverId": "%s", "type": "wordpress", "domain": "%s",
                 "wordpress": {"title": "Blog", "adminUser": "writer", "adminEmail": "writer@example.test"}}""".formatted(server.id(), blog)), 201);
        String blogId = created.path("site").path("id").asString();
        Job create = succeeded(created.path("jobId").asString());
        succeeded(create.result().path("deploymentJob").asString());
        awaitZoneApplied(json(client.get("/api/v1/dns/zones"), 200).path("items").get(0).path("id").asString());
        assertThat(curl("-sS", "--resolve", blog + ":80:" + server.address(), "http://" + blog + "/")).contains("http://" + blog);

        succeeded(json(client.send("POST", "/api/v1/sites/" + blogId + "/certificate", "{}"), 202).path("jobId").asString());
        String page = curl("-sS", "--cacert", pebbleRoot.toString(), "--resolve", blog + ":443:" + server.address(), "https://" + blog + "/");
        assertThat(page).as("WordPress links to its https address").contains("https://" + blog).doesNotContain("href=\"http://" + blog);
    }

    @Test
    @Order(7)
    void inTheBrowserACertificateGoesFromPendingToValidLive() throws Exception {
        String app = "app." + zone;
        JsonNode created = json(client.send("POST", "/api/v1/sites", """
                {"serverId": "%s", "type": "static", "domain": "%s"}""".formatted(server.id(), app)), 201);
        String appId = created.path("site").path("id").asString();
        succeeded(created.path("jobId").asString());
        awaitZoneApplied(json(client.get("/api/v1/dns/zones"), 200).path("items").get(0).path("id").asString());

        ChromeDriver browser = chromium.open();
        browser.manage().window().setSize(new Dimension(1366, 1400));
        String base = "http://localhost:" + port;
        HeadlessChromium.signIn(browser, base, fixture.client1User);
        clickNav(browser, "/ssl");
        assertThat(visible(browser, By.id("certificates")).getText()).contains(zone, app, "none (HTTP only)");
        chromium.screenshot(browser, "certificates-light");
        browser.findElement(By.linkText(app)).click();
        assertThat(visible(browser, By.id("certificate-chip")).getText()).isEqualTo("none");
        browser.findElement(By.id("issue-button")).click();
        // The page polls while the job works: the chip moves on without a reload, and ends valid with the served certificate.
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(driver -> List.of("pending", "issuing", "deploying").contains(text(browser, "#certificate-chip")));
        chromium.screenshot(browser, "certificate-pending-light");
        new WebDriverWait(browser, JOB).until(driver -> text(browser, "#certificate-chip").equals("valid")
                && text(browser, "#served-result").contains("The issued certificate"));
        assertThat(text(browser, "#served-serial")).isEqualToIgnoringCase(text(browser, "#issued-serial"));
        chromium.screenshot(browser, "certificate-valid-light");
        chromium.assertNoCspViolations(browser, "the certificate page");
        assertThat(json(client.get("/api/v1/sites/" + appId + "/certificate"), 200).path("status").asString()).isEqualTo("valid");

        browser.get(base + "/");
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(driver -> !text(browser, "#certificate-attention").isEmpty());
        chromium.screenshot(browser, "dashboard-certificates-light");
    }

    private static String text(ChromeDriver browser, String selector) {
        Object text = js(browser).executeScript("var found = document.querySelector(arguments[0]); return found ? found.innerText.trim() : '';",
                selector);
        return text == null ? "" : text.toString();
    }

    private RecurringWork servedCheck() {
        return context.getBeansOfType(RecurringWork.class).values().stream().filter(work -> work.name().equals("ssl.served-check"))
                .findFirst().orElseThrow();
    }

    private void timings(String what, JsonNode certificate) {
        System.out.println("[bench] certificate " + what + " issue > served, ms by step: " + certificate.path("stepTimings"));
    }

    private void awaitZoneApplied(String zoneId) throws InterruptedException {
        long giveUp = System.nanoTime() + JOB.toNanos();
        while (System.nanoTime() < giveUp) {
            JsonNode zoneNow = json(client.get("/api/v1/dns/zones/" + zoneId), 200);
            if (zoneNow.path("pendingSets").asInt() == 0 && zoneNow.path("status").asString().equals("active")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the zone's records were not applied");
    }

    private Job succeeded(String jobId) {
        Job job = watch.awaitFinal(jobId);
        assertThat(job.status()).as("%s ended %s: %s%n%s%nPebble:%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id())), pebble.log()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "10"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output.strip();
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
