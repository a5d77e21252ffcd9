package io.vippanel.ssl;

import static io.vippanel.support.HeadlessChromium.visible;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.ssl.internal.acme.AcmeAccount;
import io.vippanel.ssl.internal.acme.AcmeAccounts;
import io.vippanel.ssl.internal.acme.AcmeDirectory;
import io.vippanel.ssl.internal.acme.AcmeTrust;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PebbleServer;
import io.vippanel.tenancy.SystemTransactions;
import java.net.ServerSocket;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
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
 * The platform's ACME account through the API and the page, against a real Pebble: its terms of service are shown
 * and must be accepted before anything is made at the CA, the key is stored encrypted and finds the same account
 * again, and only platform staff reach any of it; an admin accepts the terms in a real browser.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmeAccountSettingsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static PebbleServer pebble;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PebbleServer.assumeUsable();
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        pebble = PebbleServer.start(unused, unused);
        registry.add("vip.ssl.acme-directory", () -> pebble.directoryUrl().toString());
        registry.add("vip.ssl.acme-trust-roots", () -> pebble.tlsTrustFile().toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    PanelClient admin;
    JdbcClient owner;
    SystemTransactions system;
    String accountUrl;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        admin = PanelClient.api(port, fixture.tokenOf(fixture.admin));
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
    }

    @AfterAll
    void tearDown() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    @Order(1)
    void theTermsAreShownAndNothingIsMadeBeforeTheyAreAccepted() {
        JsonNode terms = json(admin.get("/api/v1/ssl/acme-accounts/terms"), 200);
        assertThat(terms.path("directoryUrl").asString()).isEqualTo(pebble.directoryUrl().toString());
        String termsUrl = terms.path("termsOfService").asString();
        assertThat(termsUrl).startsWith("data:").as("Pebble offers terms of service");

        JsonNode refused = json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"contactEmail\": \"ops@example.com\"}"), 422);
        assertThat(refused.path("errors").path("acceptTerms").asString()).contains("terms of service", termsUrl);
        assertThat(rows()).isZero();
    }

    @Test
    @Order(2)
    void badInputIs422AndChangesNothing() {
        assertThat(json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"directoryUrl\": \"http://insecure.example/dir\", \"acceptTerms\": true}"), 422)
                .path("errors").path("directoryUrl").asString()).contains("https address");
        assertThat(json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"directoryUrl\": \"https://127.0.0.1:9/dir\", \"acceptTerms\": true}"), 422)
                .path("errors").path("directoryUrl").asString()).isNotBlank();
        assertThat(json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"contactEmail\": \"not an email\", \"acceptTerms\": true}"), 422)
                .path("errors").path("contactEmail").asString()).isNotBlank();
        assertThat(rows()).isZero();
    }

    @Test
    @Order(3)
    void acceptingTheTermsMakesTheAccountWithAnEncryptedKeyThatFindsItAgain() {
        JsonNode made = json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"contactEmail\": \"ops@example.com\", \"acceptTerms\": true}"), 200);
        accountUrl = made.path("accountUrl").asString();
        assertThat(accountUrl).startsWith("https://127.0.0.1:");
        assertThat(made.path("termsAcceptedBy").asString()).isEqualTo(fixture.admin.email());
        assertThat(made.toString()).doesNotContain("PRIVATE KEY");
        String stored = system.call(() -> owner.sql("SELECT account_key FROM acme_accounts WHERE directory_url = ?").param(directory())
                .query(String.class).single());
        assertThat(stored).doesNotContain("PRIVATE KEY");

        JsonNode again = json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"contactEmail\": \"ops@example.com\", \"acceptTerms\": true}"), 200);
        assertThat(again.path("accountUrl").asString()).as("the stored key finds the same account").isEqualTo(accountUrl);

        JsonNode moved = json(admin.send("PUT", "/api/v1/ssl/acme-accounts", "{\"contactEmail\": \"certs@example.com\", \"acceptTerms\": true}"), 200);
        assertThat(moved.path("contactEmail").asString()).isEqualTo("certs@example.com");
        assertThat(AcmeAccounts.contacts(storedAccount())).as("the CA's record follows").containsExactly("mailto:certs@example.com");
        assertThat(rows()).isEqualTo(1);
        assertThat(json(admin.get("/api/v1/ssl/acme-accounts"), 200).valueStream()
                .filter(account -> account.path("directoryUrl").asString().equals(directory()))
                .map(account -> account.path("accountUrl").asString()).toList()).containsExactly(accountUrl);
        assertThat(system.call(() -> owner.sql("SELECT count(*) FROM audit_log WHERE action IN ('acme_account.create', "
                + "'acme_account.update') AND details ->> 'directory' = ?").param(directory()).query(Long.class).single())).isEqualTo(3);
    }

    @Test
    @Order(4)
    void onlyPlatformStaffReachTheAccount() {
        for (var actor : new io.vippanel.tenancy.Actor[] {fixture.reseller1User, fixture.client1User}) {
            PanelClient caller = PanelClient.api(port, fixture.tokenOf(actor));
            assertThat(caller.get("/api/v1/ssl/acme-accounts").statusCode()).isEqualTo(403);
            assertThat(caller.get("/api/v1/ssl/acme-accounts/terms").statusCode()).isEqualTo(403);
            assertThat(caller.send("PUT", "/api/v1/ssl/acme-accounts", "{\"acceptTerms\": true}").statusCode()).isEqualTo(403);
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void thePageShowsTheTermsBeforeTheAccountIsMade() {
        PanelClient browser = PanelClient.browser(port).login(fixture.superadmin.email(), Fixture.PASSWORD);
        HttpResponse<String> page = browser.get("/ssl/acme");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(accountUrl, "Show the CA's terms");
        browser.useCsrfOf(page);
        HttpResponse<String> terms = browser.postForm("/ssl/acme/terms", Map.of("directoryUrl", pebble.directoryUrl().toString()));
        assertThat(terms.statusCode()).isEqualTo(200);
        assertThat(terms.body()).contains("I have read and accept", "Make the account");
        HttpResponse<String> refused = browser.postForm("/ssl/acme", Map.of("directoryUrl", pebble.directoryUrl().toString()));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("accept them");
    }

    @Test
    @Order(6)
    void anAdminAcceptsTheTermsInTheBrowser() {
        try (HeadlessChromium chromium = new HeadlessChromium("ssl")) {
            ChromeDriver driver = chromium.open();
            HeadlessChromium.signIn(driver, "http://127.0.0.1:" + port, fixture.admin);
            HeadlessChromium.clickNav(driver, "/ssl/acme");
            visible(driver, By.id("acme-accounts"));
            driver.findElement(By.cssSelector("#acme-form button[type=submit]")).click();
            WebElement accept = visible(driver, By.name("acceptTerms"));
            assertThat(driver.findElement(By.id("acme-terms")).getText()).contains("I have read and accept");
            chromium.screenshot(driver, "acme-terms-light");
            accept.click();
            driver.findElement(By.cssSelector("#acme-form button[type=submit]")).click();
            new WebDriverWait(driver, HeadlessChromium.WAIT).until(d -> d.getPageSource().contains("is ready"));
            assertThat(driver.findElement(By.id("acme-accounts")).getText()).contains(accountUrl, fixture.admin.email());
            chromium.screenshot(driver, "acme-account-light");
            chromium.assertNoCspViolations(driver, "the ACME account page");
        }
    }

    /** The account at Pebble, found with the key the panel stored. */
    private AcmeAccount storedAccount() {
        Map<String, Object> row = system.call(() -> owner.sql("SELECT id, account_key FROM acme_accounts WHERE directory_url = ?").param(directory())
                .query().singleRow());
        String key = context.getBean(SecretBox.class).decrypt((String) row.get("account_key"),
                AcmeAccountSettings.ACCOUNT_KEY.boundTo((String) row.get("id")));
        AcmeDirectory directory = AcmeDirectory.connect(pebble.directoryUrl(), AcmeTrust.rootCertificates(pebble.tlsTrustFile()));
        return AcmeAccounts.find(directory, key).orElseThrow();
    }

    private long rows() {
        return system.call(() -> owner.sql("SELECT count(*) FROM acme_accounts WHERE directory_url = ?").param(directory())
                .query(Long.class).single());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** The database is shared with other test classes, whose CAs leave accounts of their own: only this Pebble's count. */
    private static String directory() {
        return pebble.directoryUrl().toString();
    }
}
