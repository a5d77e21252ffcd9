package io.vippanel.sites;

import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.ProvisioningTestProperties;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A site made through the wizard in a real browser, on a really provisioned test host, deployed from a git repository
 * inside that host ({@code file:///srv/repos/app.git}, two commits): the first deployment's log arrives on the open
 * deployments tab line by line without a reload, the site answers with the second commit; then a deployment of a
 * branch at the first commit and a rollback, both started on the page, switch what the site answers. Screenshots of
 * each step in the light theme and of the list and the site in the dark one.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SitesBrowserTests {

    private static final Duration JOB = Duration.ofMinutes(4);
    private static final String REPOSITORY = "file:///srv/repos/app.git";
    /** Notes every HTMX request and stream opening, from before the page's own scripts run; the marker tells a reload apart. */
    private static final String RECORDER = """
            window.__requests = [];
            document.addEventListener('htmx:afterRequest', function (event) {
                window.__requests.push(event.detail.pathInfo.requestPath + ' ' + (event.detail.xhr ? event.detail.xhr.status : '?'));
            });
            window.__streamOpens = 0;
            document.addEventListener('htmx:sseOpen', function () { window.__streamOpens++; });""";
    /** The deployments table as the page shows it: id, status, commit, newest first. */
    private static final String ROWS = """
            return Array.from(document.querySelectorAll('#deployments tbody tr'), function (row) {
                var status = row.querySelector('.deployment-status .status-chip');
                return [row.id.replace('deployment-', ''), status ? status.textContent.trim() : '', row.children[2].innerText.trim()];
            });""";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "sites_browser");
        registry.add("vip.sites.allow-local-repositories", () -> "true");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    private final HeadlessChromium chromium = new HeadlessChromium("sites");
    private ReadyServer server;
    private ChromeDriver browser;
    private String domain;
    private String sitePath;

    @BeforeAll
    void setUp() throws Exception {
        TestManagedServer.assumeUsable();
        Fixture fixture = Fixture.create(context);
        PanelClient api = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        server = ReadyServer.provision(api, new JobWatch(context, fixture.superadmin, ReadyServer.patience()),
                "sites-" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT));
        // A repository on the server itself, as a git host would serve it: "main" at the second commit, "first" at the first.
        TestManagedServer.ExecResult repository = server.host().exec("""
                set -e
                rm -rf /srv/repos /tmp/app-work && mkdir -p /srv/repos && git init -q --bare -b main /srv/repos/app.git
                git init -q -b main /tmp/app-work && cd /tmp/app-work
                git config user.email dev@example.test && git config user.name Dev
                echo '<h1>version one</h1>' > index.html && git add index.html && git commit -q -m 'First version'
                git branch first
                echo '<h1>version two</h1>' > index.html && git commit -q -am 'Second version'
                git push -q /srv/repos/app.git main first
                chmod -R a+rX /srv/repos""");
        assertThat(repository.exitCode()).as(repository.output()).isZero();
        domain = "app-" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT) + ".example.test";
        browser = chromium.open();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        HeadlessChromium.signIn(browser, base(), fixture.client1User);
    }

    @AfterAll
    void tearDown() {
        chromium.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void theWizardCreatesTheSiteAndTheFirstDeploymentsLogArrivesLive() {
        HeadlessChromium.clickNav(browser, "/sites");
        assertThat(visible(browser, By.id("no-sites")).getText()).contains("No sites yet");
        chromium.screenshot(browser, "list-empty-light");
        visible(browser, By.id("create-site")).click();
        waitForPath(browser, "/sites/new");

        new Select(visible(browser, By.id("site-server"))).selectByValue(server.id());
        new Select(browser.findElement(By.id("site-type"))).selectByValue(SiteType.STATIC.key());
        // The part that depends on the type is read again: a static site has no PHP version.
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> d.findElements(By.name("phpVersion")).isEmpty());
        HeadlessChromium.waitUntilSettled(browser);
        browser.findElement(By.name("domain")).sendKeys(domain);
        browser.findElement(By.name("repositoryUrl")).sendKeys(REPOSITORY);
        replace(browser.findElement(By.name("branch")), "main");
        browser.manage().window().setSize(new Dimension(1366, 1500));
        chromium.screenshot(browser, "wizard-light");
        browser.manage().window().setSize(new Dimension(1366, 900));

        browser.findElement(By.id("create-site-submit")).click();
        waitForPath(browser, "/sites/site_.*");
        sitePath = HeadlessChromium.path(browser);
        assertThat(visible(browser, By.id("toasts")).getText()).contains(domain + " is queued");
        chromium.screenshot(browser, "overview-queued-light");

        browser.findElement(By.id("tab-deployments")).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> !d.findElements(By.id("deployment-history")).isEmpty());
        js(browser).executeScript("window.__marker = 'the page that was opened'");

        // Read every 200 ms: how many lines the page's log shows, and the deployment's status in the table.
        List<String> timeline = new ArrayList<>();
        long fewestLinesSeen = Long.MAX_VALUE;
        boolean liveShot = false;
        String status = "";
        long deadline = System.nanoTime() + JOB.toNanos();
        while (System.nanoTime() < deadline && !status.equals("succeeded") && !status.equals("failed")) {
            long lines = logLines();
            List<List<String>> rows = rows();
            status = rows.isEmpty() ? "" : rows.getLast().get(1);
            String seen = status + " " + lines;
            if (timeline.isEmpty() || !timeline.getLast().equals(seen)) {
                timeline.add(seen);
            }
            if (lines > 0) {
                fewestLinesSeen = Math.min(fewestLinesSeen, lines);
            }
            if (!liveShot && status.equals("running") && lines >= 5) {
                chromium.screenshot(browser, "deployment-live-log-light");
                liveShot = true;
            }
            sleep(200);
        }
        System.out.println("[sites-browser] status and log lines seen: " + timeline);
        String log = String.valueOf(js(browser).executeScript("var log = document.getElementById('job-log'); return log ? log.innerText : ''"));
        assertThat(status).as("the first deployment after %s; its log:%n%s", JOB, log).isEqualTo("succeeded");
        waitForStatusRead();
        long finalLines = logLines();
        assertThat(fewestLinesSeen).as("lines reached the open page one after another (%s)", timeline).isLessThan(finalLines);
        assertThat(js(browser).executeScript("return window.__marker")).as("the page was not reloaded").isEqualTo("the page that was opened");
        assertThat(finalLines).as("the deployment's log").isGreaterThanOrEqualTo(5);
        assertThat(rows().getLast().get(2)).contains("Second version");
        assertThat(site()).contains("version two");
        browser.manage().window().setSize(new Dimension(1366, 1300));
        chromium.screenshot(browser, "deployment-succeeded-light");
        browser.manage().window().setSize(new Dimension(1366, 900));
        chromium.assertNoCspViolations(browser, "the wizard and the first deployment");
    }

    @Test
    @Order(2)
    void aDeploymentOfTheFirstCommitAndARollbackStartedOnThePageSwitchWhatTheSiteServes() {
        browser.get(base() + sitePath + "?tab=settings");
        WebElement branch = visible(browser, By.cssSelector("#settings-form [name=branch]"));
        replace(branch, "first");
        browser.findElement(By.id("save-settings")).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT).until(d -> String.valueOf(js(d).executeScript(
                "var t = document.getElementById('toasts'); return t ? t.innerText : ''")).contains("Settings saved"));
        chromium.screenshot(browser, "settings-saved-light");

        // Deploy now is offered once the site is ready again (a settings change may queue a job first).
        new WebDriverWait(browser, JOB).until(d -> !d.findElements(By.id("deploy-now")).isEmpty());
        clickAndAwaitDeployments(By.id("deploy-now"));
        List<String> second = awaitNewest(rows -> rows.size() == 2, "the deployment of the branch 'first'");
        assertThat(second.get(2)).contains("First version");
        assertThat(site()).contains("version one");
        chromium.screenshot(browser, "deployed-first-commit-light");

        String firstDeployment = rows().getLast().get(0);
        HeadlessChromium.waitUntilSettled(browser);
        clickAndAwaitDeployments(By.cssSelector("#deployment-" + firstDeployment + " form[action$='/rollback'] button"));
        List<String> rollback = awaitNewest(rows -> rows.size() == 3, "the rollback to the first deployment");
        assertThat(rollback.get(2)).contains("Second version");
        assertThat(site()).contains("version two");
        browser.manage().window().setSize(new Dimension(1366, 1300));
        chromium.screenshot(browser, "rolled-back-light");
        browser.manage().window().setSize(new Dimension(1366, 900));
        chromium.assertNoCspViolations(browser, "deploying and rolling back");
    }

    @Test
    @Order(3)
    void theListAndTheSiteInTheDarkTheme() {
        browser.get(base() + "/sites");
        browser.findElement(By.cssSelector("[aria-label='Toggle light or dark theme']")).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT)
                .until(d -> "dark".equals(js(d).executeScript("return document.documentElement.getAttribute('data-theme')")));
        assertThat(visible(browser, By.id("sites")).getText()).contains(domain, "succeeded", "Static");
        chromium.screenshot(browser, "list-dark");
        for (String tab : List.of("overview", "deployments", "databases", "cron", "workers", "waf", "settings")) {
            browser.get(base() + sitePath + "?tab=" + tab);
            visible(browser, By.id("tab-" + tab));
            browser.manage().window().setSize(new Dimension(1366, tab.equals("settings") ? 1600 : 1100));
            chromium.screenshot(browser, tab + "-dark");
        }
        browser.manage().window().setSize(new Dimension(1366, 900));
        chromium.assertNoCspViolations(browser, "the dark theme");
    }

    @Test
    @Order(4)
    void anArchiveUploadedOnTheDeploymentsTabIsWhatTheSiteServes() throws IOException {
        java.nio.file.Path archive = java.nio.file.Files.createTempFile("site-", ".zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(archive))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            zip.write("<h1>version from an archive</h1>\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        try {
            browser.get(base() + sitePath + "?tab=deployments");
            visible(browser, By.id("archive-upload")).findElement(By.name("archive")).sendKeys(archive.toString());
            clickAndAwaitDeployments(By.id("deploy-archive"));
            awaitNewest(rows -> rows.size() == 4, "the uploaded archive");
            assertThat(site()).contains("version from an archive");
            assertThat(browser.findElement(By.id("current-commit")).getText()).as("an archive has no commit").isEqualTo("N/A");
            browser.manage().window().setSize(new Dimension(1366, 1500));
            chromium.screenshot(browser, "archive-deployed-light");
            browser.manage().window().setSize(new Dimension(1366, 900));
            chromium.assertNoCspViolations(browser, "the archive upload");
        } finally {
            java.nio.file.Files.deleteIfExists(archive);
        }
    }

    @Test
    @Order(5)
    void aWordPressSiteShowsItsAdministratorsPasswordOnceAfterTheWizard() {
        browser.get(base() + "/sites/new");
        new Select(visible(browser, By.id("site-server"))).selectByValue(server.id());
        new Select(browser.findElement(By.id("site-type"))).selectByValue(SiteType.WORDPRESS.key());
        // the WordPress questions come with the type's part of the wizard
        visible(browser, By.name("wordpressAdminUser")).sendKeys("editor");
        HeadlessChromium.waitUntilSettled(browser);
        String wordpressDomain = "blog-" + domain;
        browser.findElement(By.name("domain")).sendKeys(wordpressDomain);
        browser.findElement(By.name("wordpressTitle")).sendKeys("Notes from the corner");
        browser.findElement(By.name("wordpressAdminEmail")).sendKeys("editor@example.test");
        browser.manage().window().setSize(new Dimension(1366, 1600));
        chromium.screenshot(browser, "wizard-wordpress-light");
        browser.manage().window().setSize(new Dimension(1366, 900));

        browser.findElement(By.id("create-site-submit")).click();
        // the answer shows the password; the address kept is the site's plain page
        waitForPath(browser, "/sites/site_.*");
        String password = visible(browser, By.id("wordpress-admin-password")).getText();
        assertThat(password).hasSize(24);
        assertThat(browser.findElement(By.id("wordpress-admin")).getText()).contains("editor", "http://" + wordpressDomain + "/wp-login.php");
        chromium.screenshot(browser, "wordpress-admin-once-light");
        browser.navigate().refresh();
        visible(browser, By.id("tab-overview"));
        assertThat(browser.findElements(By.id("wordpress-admin"))).as("shown once").isEmpty();
        chromium.assertNoCspViolations(browser, "the WordPress wizard");
    }

    /**
     * Clicks a button that starts a deployment once the page has settled (the header is read again on every change of the
     * site, which would take a button found earlier away), and waits for the deployments tab it leads to.
     */
    private void clickAndAwaitDeployments(By button) {
        HeadlessChromium.waitUntilSettled(browser);
        browser.findElement(button).click();
        new WebDriverWait(browser, HeadlessChromium.WAIT).withMessage(() -> "expected the deployments tab; the page says: "
                        + js(browser).executeScript("var e = document.getElementById('site-error'); return e ? e.innerText : document.title"))
                .until(d -> d.getCurrentUrl().contains("tab=deployments") && !d.findElements(By.id("deployments")).isEmpty());
        HeadlessChromium.waitUntilSettled(browser);
    }

    /** Waits until the deployments table's rows satisfy {@code shape} and its newest row has ended; returns that row. */
    private List<String> awaitNewest(Predicate<List<List<String>>> shape, String what) {
        long deadline = System.nanoTime() + JOB.toNanos();
        List<List<String>> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = rows();
            if (shape.test(rows) && List.of("succeeded", "failed").contains(rows.getFirst().get(1))) {
                break;
            }
            sleep(300);
        }
        String log = String.valueOf(js(browser).executeScript("var log = document.getElementById('job-log'); return log ? log.innerText : ''"));
        assertThat(shape.test(rows)).as("the deployments after %s: %s; the log:%n%s", what, rows, log).isTrue();
        assertThat(rows.getFirst().get(1)).as("%s; the log:%n%s", what, log).isEqualTo("succeeded");
        waitForStatusRead();
        return rows().getFirst();
    }

    /** The table is read again after each change on the page's stream: lets the last read land before reading the rows. */
    private void waitForStatusRead() {
        sleep(800);
        HeadlessChromium.waitUntilSettled(browser);
    }

    @SuppressWarnings("unchecked")
    private List<List<String>> rows() {
        return (List<List<String>>) js(browser).executeScript(ROWS);
    }

    private long logLines() {
        return ((Number) js(browser).executeScript("return document.querySelectorAll('#job-log > li').length")).longValue();
    }

    /** What the server answers for the site's domain, asked as a browser would (the JDK's HTTP client will not set Host). */
    private String site() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + domain + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
