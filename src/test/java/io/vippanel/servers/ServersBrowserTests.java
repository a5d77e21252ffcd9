package io.vippanel.servers;

import static io.vippanel.support.HeadlessChromium.clickNav;
import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.servers.internal.ServerEvents;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The servers pages in a real browser: a platform superadmin in the light theme, a client in the dark one. The
 * wizard shows the fields of the choice made (custom or cloud, password or key) and swaps in the catalog, which
 * reads N/A here; a custom server is created through it; a status change reaches the open list live; no page
 * breaks the Content-Security-Policy. Screenshots of every page in both themes.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServersBrowserTests {

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    private final HeadlessChromium chromium = new HeadlessChromium("servers");
    private Fixture fixture;
    private Server server;
    private String account;
    private ChromeDriver staff;
    private ChromeDriver client;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        ServerFixtures servers = new ServerFixtures(context);
        String tag = fixture.client1.id().substring(4, 10).toLowerCase(Locale.ROOT);
        server = servers.readyServer(fixture.client1User, "shop-" + tag, "198.51.100.40");
        servers.firewallRule(fixture.client1User, server.id(), 8080);
        servers.sshKey(fixture.client1User, server.id());
        account = servers.providerAccount(fixture.client1, "Hetzner " + tag);
        staff = chromium.open();
        // Counts the live streams a page opens, from before the page's own scripts run (CDP scripts are exempt from the CSP).
        staff.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
                "window.__streamOpens = 0; document.addEventListener('htmx:sseOpen', function () { window.__streamOpens++; });"));
        signIn(staff, fixture.superadmin);
        client = chromium.open();
        signIn(client, fixture.client1User);
        client.findElement(By.cssSelector("[aria-label='Toggle light or dark theme']")).click();
        new WebDriverWait(client, HeadlessChromium.WAIT)
                .until(d -> "dark".equals(js(d).executeScript("return document.documentElement.getAttribute('data-theme')")));
    }

    @AfterAll
    void tearDown() {
        chromium.close();
    }

    @Test
    @Order(1)
    void theListAndTheProviderAccountsInBothThemes() {
        for (ChromeDriver driver : new ChromeDriver[] {staff, client}) {
            String theme = driver == staff ? "light" : "dark";
            clickNav(driver, "/servers");
            assertThat(visible(driver, By.id("servers")).getText()).contains(server.name(), "198.51.100.40", "ready");
            chromium.screenshot(driver, "list-" + theme);
            clickNav(driver, "/providers");
            assertThat(visible(driver, By.id("provider-accounts")).getText()).contains(account);
            assertThat(driver.findElement(By.name("token")).isDisplayed()).isTrue();
            assertThat(driver.findElement(By.name("accessKeyId")).isDisplayed()).as("AWS fields hidden for Hetzner").isFalse();
            new Select(driver.findElement(By.name("kind"))).selectByValue("aws");
            assertThat(driver.findElement(By.name("accessKeyId")).isDisplayed()).isTrue();
            assertThat(driver.findElement(By.name("token")).isDisplayed()).isFalse();
            chromium.screenshot(driver, "providers-" + theme);
            chromium.assertNoCspViolations(driver, "the list and the provider accounts (" + theme + ")");
        }
    }

    @Test
    @Order(2)
    void theWizardSwapsInTheCatalogAndCreatesACustomServer() {
        client.get(base() + "/servers/new");
        Select provider = new Select(visible(client, By.name("provider")));
        provider.selectByValue(account);
        visible(client, By.id("catalog-unavailable"));
        assertThat(client.findElement(By.id("catalog-unavailable")).getText()).contains("N/A", "Retry");
        chromium.screenshot(client, "wizard-catalog-na-dark");

        provider.selectByValue("custom");
        WebElement address = visible(client, By.name("address"));
        assertThat(client.findElement(By.name("privateKey")).isDisplayed()).as("key field hidden while password is chosen").isFalse();
        address.sendKeys("192.0.2.60");
        client.findElement(By.name("name")).sendKeys("blog-" + fixture.client1.id().substring(4, 10).toLowerCase(Locale.ROOT));
        client.findElement(By.name("password")).sendKeys("a bootstrap password");
        client.manage().window().setSize(new Dimension(1366, 1900));
        chromium.screenshot(client, "wizard-custom-dark");
        client.findElement(By.id("create-server-submit")).click();
        waitForPath(client, "/servers/srv_.*");
        assertThat(visible(client, By.id("server-status")).getText()).contains("queued");
        client.manage().window().setSize(new Dimension(1366, 900));
        chromium.assertNoCspViolations(client, "the wizard");
    }

    @Test
    @Order(3)
    void theDetailPageInBothThemes() {
        for (ChromeDriver driver : new ChromeDriver[] {staff, client}) {
            String theme = driver == staff ? "light" : "dark";
            driver.get(base() + "/servers/" + server.id());
            // Read by script: the overview and the sections are read again when the stream opens, so element references go stale.
            new WebDriverWait(driver, HeadlessChromium.WAIT).until(d -> String.valueOf(js(d).executeScript(
                    "var rules = document.getElementById('firewall-rules'); return rules && rules.textContent")).contains("8080/tcp"));
            driver.manage().window().setSize(new Dimension(1366, 3000));
            chromium.screenshot(driver, "detail-" + theme);
            driver.manage().window().setSize(new Dimension(1366, 900));
            chromium.assertNoCspViolations(driver, "the detail page (" + theme + ")");
        }
    }

    @Test
    @Order(4)
    void aStatusChangeReachesTheOpenList() {
        staff.get(base() + "/servers?q=" + server.name());
        visible(staff, By.id("server-row-" + server.id()));
        new WebDriverWait(staff, HeadlessChromium.WAIT).until(d -> ((Number) js(d).executeScript("return window.__streamOpens || 0")).longValue() > 0);
        HeadlessChromium.waitUntilSettled(staff);
        SystemTransactions system = context.getBean(SystemTransactions.class);
        ServerEvents events = context.getBean(ServerEvents.class);
        String path = fixture.client1.path();
        // As a job does it: the status changes and the event leaves when the transaction commits.
        org.springframework.jdbc.core.simple.JdbcClient jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(
                context.getBean(javax.sql.DataSource.class));
        system.run(() -> {
            jdbc.sql("UPDATE servers SET status = 'failed', status_note = 'disk full' WHERE id = ?").params(server.id()).update();
            events.status(path, server.id(), ServerStatus.FAILED, "disk full");
        });
        try {
            // Read by script: the results are swapped in anew when the stream (re)opens, so element references go stale.
            new WebDriverWait(staff, HeadlessChromium.WAIT).until(d -> String.valueOf(js(d).executeScript(
                    "var chip = document.querySelector('#server-row-" + server.id() + " .server-status'); return chip && chip.textContent"))
                    .contains("failed"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("chip: " + js(staff).executeScript("return document.getElementById('server-stream').outerHTML.substring(0, 3000)")
                    + " opens: " + js(staff).executeScript("return window.__streamOpens") + " log: " + chromium.cspViolations(staff), e);
        }
        // The chip's slot stays in place for the next change (an inherited outerHTML swap would replace it).
        system.run(() -> events.status(path, server.id(), ServerStatus.PROVISIONING, null));
        new WebDriverWait(staff, HeadlessChromium.WAIT).until(d -> String.valueOf(js(d).executeScript(
                "var chip = document.querySelector('#server-row-" + server.id() + " .server-status'); return chip && chip.textContent"))
                .contains("provisioning"));
        chromium.screenshot(staff, "list-live-light");
    }

    @Test
    @Order(5)
    void theDetailPageOffersTheFormsOnceTheServerTurnsReady() {
        SystemTransactions system = context.getBean(SystemTransactions.class);
        ServerEvents events = context.getBean(ServerEvents.class);
        org.springframework.jdbc.core.simple.JdbcClient jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(
                context.getBean(javax.sql.DataSource.class));
        system.run(() -> jdbc.sql("UPDATE servers SET status = 'failed' WHERE id = ?").params(server.id()).update());
        staff.get(base() + "/servers/" + server.id());
        visible(staff, By.id("server-sections"));
        assertThat(staff.findElements(By.cssSelector("#firewall form[action$='/firewall']"))).isEmpty();
        new WebDriverWait(staff, HeadlessChromium.WAIT).until(d -> ((Number) js(d).executeScript("return window.__streamOpens || 0")).longValue() > 0);
        HeadlessChromium.waitUntilSettled(staff);
        system.run(() -> {
            jdbc.sql("UPDATE servers SET status = 'ready', status_note = NULL WHERE id = ?").params(server.id()).update();
            events.status(fixture.client1.path(), server.id(), ServerStatus.READY, null);
        });
        new WebDriverWait(staff, HeadlessChromium.WAIT).withMessage(() -> "browser log: " + chromium.cspViolations(staff))
                .until(d -> !d.findElements(By.cssSelector("#firewall form[action$='/firewall']")).isEmpty());
        chromium.assertNoCspViolations(staff, "the detail page turning ready");
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void signIn(ChromeDriver driver, Actor who) {
        HeadlessChromium.signIn(driver, base(), who);
    }
}
