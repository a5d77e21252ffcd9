package io.vippanel.servers;

import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.ManagedHost;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.automation.SshKey;
import io.vippanel.servers.internal.SshKeyMaterial;
import io.vippanel.servers.web.ServerForm;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The create wizard for a custom server in a real browser, with a real worker provisioning a test host in its own
 * namespaces (as {@link ServerProvisioningTests} does through the API): the status chip of the open server page goes
 * queued, provisioning, ready without a reload while the job's log streams in; then a person's SSH key and a firewall
 * rule added through the page's forms end up installed and applied, checked from outside. Screenshots of each step.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerProvisioningBrowserTests {

    private static final Duration PROVISIONING = Duration.ofMinutes(6);
    private static final Duration DAY_TWO = Duration.ofMinutes(3);
    private static final String KEY_FORM = "#ssh-keys form[action$='/ssh-keys']";
    private static final String FIREWALL_FORM = "#firewall form[action$='/firewall']";
    /** Records the text of the server's status chip on every change of the page, from before its own scripts run. */
    private static final String CHIP_RECORDER = """
            window.__chips = [];
            document.addEventListener('DOMContentLoaded', function () {
                var record = function () {
                    var chip = document.getElementById('server-status');
                    var text = chip && chip.textContent.trim();
                    if (text && window.__chips[window.__chips.length - 1] !== text) { window.__chips.push(text); }
                };
                record();
                new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
            });
            window.__requests = [];
            document.addEventListener('htmx:afterRequest', function (event) {
                window.__requests.push(event.detail.pathInfo.requestPath + ' ' + (event.detail.xhr ? event.detail.xhr.status : '?'));
            });
            window.__streamOpens = 0;
            document.addEventListener('htmx:sseOpen', function () { window.__streamOpens++; });
            window.__streamMessages = 0;
            document.addEventListener('htmx:sseMessage', function () { window.__streamMessages++; });""";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "provisioning_browser");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    SshCommandRunner ssh;

    private final HeadlessChromium chromium = new HeadlessChromium("provisioning");
    private TestManagedServer host;
    private ChromeDriver browser;
    private String serverPath;

    @BeforeAll
    void setUp() throws Exception {
        TestManagedServer.assumeUsable();
        host = TestManagedServer.start();
        Fixture fixture = Fixture.create(context);
        browser = chromium.open();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CHIP_RECORDER));
        HeadlessChromium.signIn(browser, base(), fixture.client1User);
    }

    @AfterAll
    void tearDown() {
        chromium.close();
        if (host != null) {
            host.close();
        }
    }

    @Test
    @Order(1)
    void aCustomServerFromTheWizardGoesFromQueuedToReadyLive() {
        browser.get(base() + "/servers/new");
        new Select(visible(browser, By.name("provider"))).selectByValue(ServerForm.CUSTOM);
        // The catalog part is swapped in for the choice; it brings the image list.
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> !d.findElements(By.cssSelector("select[name=image] option[value=DEBIAN_12]")).isEmpty());
        HeadlessChromium.waitUntilSettled(browser);
        new Select(browser.findElement(By.name("image"))).selectByValue(OsImage.DEBIAN_12.name());
        visible(browser, By.name("address")).sendKeys(host.address());
        replace(browser.findElement(By.name("sshPort")), String.valueOf(host.port()));
        replace(browser.findElement(By.name("sshUser")), "root");
        browser.findElement(By.cssSelector("input[name=authMethod][value=password]")).click();
        browser.findElement(By.name("password")).sendKeys(host.rootPassword());
        String name = "web-" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT);
        browser.findElement(By.name("name")).sendKeys(name);
        for (WebElement php : browser.findElements(By.name("phpVersions"))) {
            if (php.isSelected() != "8.2".equals(php.getAttribute("value"))) {
                php.click();
            }
        }
        new Select(browser.findElement(By.name("phpDefaultVersion"))).selectByValue("8.2");
        new Select(browser.findElement(By.name("database"))).selectByValue(DatabaseEngine.MARIADB.key());
        browser.manage().window().setSize(new Dimension(1366, 2000));
        chromium.screenshot(browser, "wizard-custom");
        browser.manage().window().setSize(new Dimension(1366, 900));

        long submitted = System.nanoTime();
        browser.findElement(By.id("create-server-submit")).click();
        waitForPath(browser, "/servers/srv_.*");
        serverPath = HeadlessChromium.path(browser);
        js(browser).executeScript("window.__marker = 'the page that was opened'");
        assertThat(visible(browser, By.id("toasts")).getText()).contains(name + " is queued");
        chromium.screenshot(browser, "server-page-opened");

        // Read by the test every 100 ms, next to the page's own record of every change (the chip is swapped, so by script).
        List<String> polled = new ArrayList<>();
        List<String> timeline = new ArrayList<>();
        boolean logShot = false;
        long deadline = System.nanoTime() + PROVISIONING.toNanos();
        String chip = "";
        while (System.nanoTime() < deadline && !chip.equals("ready") && !chip.equals("failed")) {
            chip = String.valueOf(js(browser).executeScript(
                    "var chip = document.getElementById('server-status'); return chip ? chip.textContent.trim() : ''"));
            if (!chip.isEmpty() && (polled.isEmpty() || !polled.getLast().equals(chip))) {
                polled.add(chip);
                timeline.add(chip + " at " + Duration.ofNanos(System.nanoTime() - submitted).toMillis() + " ms");
            }
            if (!logShot && chip.equals("provisioning") && logLines() >= 10) {
                chromium.screenshot(browser, "provisioning-live-log");
                logShot = true;
            }
            sleep(100);
        }
        System.out.println("[provisioning-browser] chip seen by polling: " + timeline);
        @SuppressWarnings("unchecked")
        List<String> recorded = (List<String>) js(browser).executeScript("return window.__chips");
        System.out.println("[provisioning-browser] chip recorded by the page: " + recorded);
        String log = String.valueOf(js(browser).executeScript("var log = document.getElementById('job-log'); return log ? log.innerText : ''"));
        assertThat(chip).as("the chip after %s; the live log:%n%s", PROVISIONING, log).isEqualTo("ready");
        assertThat(polled).as("states seen by polling").containsSubsequence("provisioning", "ready");
        // Jobs start at once when queued: the page may open on "provisioning" already (the toast tells it was queued).
        assertThat(List.of("queued", "provisioning", "ready")).as("the states the page showed, in order: %s", recorded).containsSubsequence(recorded);
        assertThat(recorded).as("the states the page showed").containsSubsequence("provisioning", "ready");
        assertThat(js(browser).executeScript("return window.__marker")).as("the page was not reloaded").isEqualTo("the page that was opened");
        assertThat(HeadlessChromium.path(browser)).isEqualTo(serverPath);
        assertThat(logLines()).as("lines of the provisioning job's log streamed into the page").isGreaterThanOrEqualTo(10);
        assertThat(logShot).as("a screenshot of the live log was taken while provisioning").isTrue();
        assertThat(visible(browser, By.id("server-overview")).getText()).contains("vippanel", host.address());
        browser.manage().window().setSize(new Dimension(1366, 2400));
        chromium.screenshot(browser, "ready");
        browser.manage().window().setSize(new Dimension(1366, 900));
        chromium.assertNoCspViolations(browser, "the wizard and provisioning");
        // What the page offers follows the status too: the forms for a ready server replace "once the server is ready".
        new WebDriverWait(browser, HeadlessChromium.WAIT).withMessage(() -> "requests " + js(browser).executeScript("return window.__requests")
                        + ", stream messages " + js(browser).executeScript("return window.__streamMessages") + ", sections: "
                        + js(browser).executeScript("var s = document.getElementById('server-sections'); return s && s.outerHTML.substring(0, 400)"))
                .until(d -> !d.findElements(By.cssSelector(FIREWALL_FORM)).isEmpty() && !d.findElements(By.cssSelector(KEY_FORM)).isEmpty());
        assertThat(js(browser).executeScript("return window.__marker")).as("the page was not reloaded").isEqualTo("the page that was opened");
    }

    @Test
    @Order(2)
    void aKeyAddedOnThePageIsInstalledAndLogsIn() {
        SshKeyMaterial.KeyPair bob = SshKeyMaterial.generateEd25519("bob@desk");
        assertThat(HeadlessChromium.path(browser)).isEqualTo(serverPath);
        streamOpened();
        WebElement form = visible(browser, By.cssSelector(KEY_FORM));
        form.findElement(By.name("name")).sendKeys("Bob");
        form.findElement(By.name("publicKey")).sendKeys(bob.publicKeyLine());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> !d.findElements(By.id("ssh-key-list")).isEmpty());
        assertThat(visible(browser, By.id("toasts")).getText()).isNotBlank();
        chromium.screenshot(browser, "key-pending");

        reloadUntil("#ssh-key-list tr", text -> text.contains("Bob") && text.contains("installed"));
        chromium.screenshot(browser, "key-installed");
        TestManagedServer.ExecResult keys = host.exec("cat /home/vippanel/.ssh/authorized_keys");
        assertThat(keys.output()).as(keys.output()).contains(bob.publicKeyLine().split(" ")[1]);
        ManagedHost target = new ManagedHost(host.address(), host.port(), "vippanel", host.hostKeyLine());
        var login = ssh.run(target, SshKey.of(bob.privateKeyPem()), "echo bob-in", Duration.ofSeconds(30), RunListener.NONE);
        assertThat(login.stdout()).as(login.failureMessage()).contains("bob-in");
        chromium.assertNoCspViolations(browser, "adding a key");
    }

    @Test
    @Order(3)
    void aFirewallRuleAddedOnThePageIsApplied() {
        assertThat(HeadlessChromium.path(browser)).isEqualTo(serverPath);
        streamOpened();
        WebElement form = visible(browser, By.cssSelector(FIREWALL_FORM));
        replace(form.findElement(By.name("port")), "8080");
        new Select(form.findElement(By.name("protocol"))).selectByValue("tcp");
        replace(form.findElement(By.name("source")), "10.0.0.0/8");
        replace(form.findElement(By.name("comment")), "app");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> !d.findElements(By.cssSelector("#firewall-rules tr[id^=rule-]")).isEmpty());
        chromium.screenshot(browser, "rule-pending");

        reloadUntil("#firewall-rules tr[id^=rule-]", text -> text.contains("8080/tcp") && text.contains("10.0.0.0/8") && text.contains("applied"));
        chromium.screenshot(browser, "rule-applied");
        TestManagedServer.ExecResult ufw = host.exec("ufw status");
        assertThat(ufw.output()).as(ufw.output()).contains("8080/tcp").contains("10.0.0.0/8");
        chromium.assertNoCspViolations(browser, "adding a firewall rule");
    }

    /**
     * The rows of people's keys and firewall rules are not updated live: reloads the server's page every two seconds
     * until a row matching {@code css} reads as wanted, and returns its text.
     */
    private String reloadUntil(String css, Predicate<String> wanted) {
        long deadline = System.nanoTime() + DAY_TWO.toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            HeadlessChromium.waitUntilSettled(browser);
            // Read by script: the sections are read again when the page's stream opens, so element references go stale.
            @SuppressWarnings("unchecked")
            List<String> read = (List<String>) js(browser).executeScript(
                    "return Array.from(document.querySelectorAll(arguments[0]), function (row) { return row.innerText; })", css);
            rows = read;
            for (String row : rows) {
                if (wanted.test(row)) {
                    return row;
                }
            }
            sleep(2000);
            browser.navigate().refresh();
            HeadlessChromium.waitUntilSettled(browser);
        }
        throw new AssertionError("after " + DAY_TWO + " the rows " + css + " read " + rows);
    }

    /** Waits until the page's streams opened and what they read again on opening is in place, so element references stay valid. */
    private void streamOpened() {
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> ((Number) js(d).executeScript("return window.__streamOpens || 0")).longValue() > 0);
        HeadlessChromium.waitUntilSettled(browser);
    }

    private long logLines() {
        return ((Number) js(browser).executeScript("return document.querySelectorAll('#job-log > *').length")).longValue();
    }

    private static void replace(WebElement field, String value) {
        field.clear();
        field.sendKeys(value);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
