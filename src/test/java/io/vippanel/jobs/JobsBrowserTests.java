package io.vippanel.jobs;

import static io.vippanel.support.HeadlessChromium.clickNav;
import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.path;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
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
 * The jobs pages in a real headless Chromium, with a worker in the same process: the worker check started from
 * the list, a job's log streaming into its page across stream reconnects (the streams end every 3 s here) with
 * every line exactly once, a cancel that the page shows live, and the dashboard widget following running jobs.
 * A platform superadmin works in the light theme, a client user in the dark one; screenshots of both.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsBrowserTests {

    private static final Duration JOB_WAIT = Duration.ofSeconds(40);
    /** Counts the live streams a page opens, from before the page's own scripts run (CDP scripts are exempt from the CSP). */
    private static final String COUNT_STREAM_OPENS =
            "window.__streamOpens = 0; document.addEventListener('htmx:sseOpen', function () { window.__streamOpens++; });";

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "jobsbrowser");
        // Shorter than the jobs these tests watch: browsers reconnect (with Last-Event-ID) in the middle of them.
        registry.add("vip.jobs.stream-timeout", () -> "3s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    Jobs jobs;

    private final HeadlessChromium chromium = new HeadlessChromium("jobs");
    private final List<String> longJobs = new ArrayList<>();
    private Fixture fixture;
    private JobWatch watch;
    private ChromeDriver staff;
    private ChromeDriver client;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, JOB_WAIT);
        // Some history, so that the list and the widget have something to show.
        watch.awaitFinal(enqueue("Deploy shop.example.com", TestJobTypes.STEPS, "srv_shop", Map.of("steps", 3, "delayMillis", 20)).id());
        watch.awaitFinal(enqueue("Connect to Hetzner", TestJobTypes.MISCONFIGURED, null, Map.of()).id());
        watch.awaitFinal(enqueue("Renew certificate", TestJobTypes.FLAKY, "dom_shop", Map.of("failures", 1)).id());

        staff = chromium.open();
        staff.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COUNT_STREAM_OPENS));
        signIn(staff, fixture.superadmin);
        client = chromium.open();
        signIn(client, fixture.client1User);
        client.findElement(By.cssSelector("[aria-label='Toggle light or dark theme']")).click();
        new WebDriverWait(client, HeadlessChromium.WAIT)
                .until(d -> "dark".equals(js(d).executeScript("return document.documentElement.getAttribute('data-theme')")));
    }

    @Test
    @Order(1)
    void staffCheckTheWorkersFromTheListAndWatchTheCheckSucceed() {
        clickNav(staff, "/jobs");
        assertThat(visible(staff, By.id("jobs")).getText()).contains("Deploy shop.example.com", "Connect to Hetzner", "Renew certificate");
        chromium.screenshot(staff, "list-light");
        long streamsBefore = streamOpens(staff);

        staff.findElement(By.id("check-workers")).click();

        waitForPath(staff, "/jobs/job_[A-Za-z0-9_-]+");
        assertThat(staff.findElement(By.cssSelector("main h2")).getText()).isEqualTo("Check workers");
        markPage(staff);
        // Every page so far came by boosted navigation from the sign-in page: the job page must still go live.
        await(staff).withMessage("the job page opened its live stream").until(d -> streamOpens(staff) > streamsBefore);
        awaitChip(staff, "succeeded");
        assertThat(visible(staff, By.id("job-summary")).getText()).startsWith("A worker picked the job up");
        assertThat(staff.findElement(By.id("job-facts")).getText()).contains("1 of 1").doesNotContain("not yet");
        assertNotReloaded(staff);
        chromium.screenshot(staff, "worker-check-light");
        chromium.assertNoCspViolations(staff, "the worker check");
    }

    @Test
    @Order(2)
    void aJobsLogStreamsIntoItsPageAcrossReconnectsWithEveryLineExactlyOnce() {
        Job job = enqueue("Provision web-1", TestJobTypes.STEPS, "srv_web1", Map.of("steps", 12, "delayMillis", 1_000));
        staff.get(base() + "/jobs/" + job.id());
        waitForPath(staff, "/jobs/" + job.id());
        markPage(staff);
        assertThat(stepLines(staff)).as("the page opened before the job was done").hasSizeLessThan(12);

        await(staff).until(d -> stepLines(staff).size() >= 3);
        assertThat(chip(staff)).isEqualTo("running");
        chromium.screenshot(staff, "job-running-light");

        await(staff).withMessage(() -> "log so far: " + stepLines(staff))
                .until(d -> "succeeded".equals(chip(staff)) && stepLines(staff).size() >= 12);

        assertThat(stepLines(staff)).containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> "step " + i + " of 12").toList());
        List<Long> seqs = logSeqs(staff);
        assertThat(seqs).as("every line once, in order").doesNotHaveDuplicates().isSorted();
        assertThat(streamOpens(staff)).as("the stream ended and was resumed at least once while the job ran").isGreaterThanOrEqualTo(2);
        assertThat(staff.findElement(By.id("job-summary")).getText()).isEqualTo("all 12 steps done");
        assertThat(staff.findElement(By.id("job-facts")).getText()).as("times and result follow the status").doesNotContain("not yet")
                .contains("steps");
        assertNotReloaded(staff);
        chromium.screenshot(staff, "job-succeeded-light");
        chromium.assertNoCspViolations(staff, "a streaming job");
    }

    @Test
    @Order(3)
    void aCancelShowsOnTheJobsPageLive() {
        Job job = enqueueLong("Import mailboxes");
        client.get(base() + "/jobs/" + job.id());
        waitForPath(client, "/jobs/" + job.id());
        await(client).until(d -> "running".equals(chip(client)) && stepLines(client).size() >= 3);
        chromium.screenshot(client, "job-running-dark");
        markPage(client);

        client.findElement(By.id("cancel-job")).click();

        assertThat(visible(client, By.cssSelector("#toasts .alert-success")).getText()).containsAnyOf("Cancel requested", "Job cancelled");
        awaitChip(client, "cancelled");
        visible(client, By.id("rerun-job"));
        assertThat(client.findElements(By.id("cancel-job"))).as("the actions follow the status").isEmpty();
        await(client).until(d -> !d.findElements(By.xpath("//ol[@id='job-log']/li[contains(@class, 'job-log-warn')]"
                + "/span[text()='Cancelled while running.']")).isEmpty());
        assertNotReloaded(client);
        chromium.screenshot(client, "job-cancelled-dark");
        chromium.assertNoCspViolations(client, "a cancel");
    }

    @Test
    @Order(4)
    void theDashboardWidgetFollowsRunningJobs() {
        clickNav(client, "/");
        assertThat(text(client, By.id("jobs-widget-failed"))).contains("Connect to Hetzner");
        markPage(client);

        Job job = enqueueLong("Nightly backup");

        await(client).until(d -> d.findElement(By.id("jobs-widget-running")).getText().contains("Nightly backup"));
        String link = await(client).until(d -> d.findElement(By.cssSelector("#jobs-widget-running a")).getDomAttribute("href"));
        assertThat(link).isEqualTo("/jobs/" + job.id());
        chromium.screenshot(client, "dashboard-dark");

        Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, job.id()));
        await(client).until(d -> d.findElement(By.id("jobs-widget-running")).getText().contains("No running jobs."));
        assertNotReloaded(client);
        chromium.assertNoCspViolations(client, "the dashboard");

        clickNav(staff, "/");
        assertThat(text(staff, By.id("jobs-widget-failed"))).contains("Connect to Hetzner");
        chromium.screenshot(staff, "dashboard-light");
        chromium.assertNoCspViolations(staff, "the dashboard");
    }

    @Test
    @Order(5)
    void theListUpdatesChipsLiveAndFiltersInPlace() {
        Job job = enqueue("Rebuild search index", TestJobTypes.STEPS, null, Map.of("steps", 4, "delayMillis", 1_000));
        clickNav(client, "/jobs");
        markPage(client);
        By rowChip = By.cssSelector("#job-row-" + job.id() + " .job-status");
        assertThat(text(client, rowChip)).isIn("queued", "running");

        await(client).until(d -> "succeeded".equals(d.findElement(rowChip).getText()));
        chromium.screenshot(client, "list-dark");

        new Select(client.findElement(By.name("status"))).selectByValue("failed");
        client.findElement(By.cssSelector("#job-filters button[type=submit]")).click();
        await(client).until(d -> d.getCurrentUrl().contains("status=failed")
                && !d.findElement(By.id("job-results")).getText().contains("Rebuild search index"));
        assertThat(text(client, By.id("jobs"))).contains("Connect to Hetzner");
        assertNotReloaded(client);
        chromium.screenshot(client, "list-filtered-dark");

        client.get(base() + "/jobs?status=exploded&from=last+week");
        assertThat(text(client, By.id("job-results"))).contains("Some filters need attention", "Choose one of queued");
        assertThat(text(client, By.id("from-error"))).contains("Use a date like 2026-11-25");
        chromium.screenshot(client, "list-refused-dark");
        chromium.assertNoCspViolations(client, "the list");
    }

    @AfterAll
    void tearDown() {
        for (String id : longJobs) {
            Job job = watch.current(id);
            if (!job.status().isFinal()) {
                Fixture.as(fixture.superadmin, () -> jobs.cancel(fixture.superadmin, id));
            }
        }
        chromium.close();
    }

    // ---- page helpers ------------------------------------------------------------------------------------

    private void signIn(ChromeDriver driver, Actor who) {
        driver.get(base() + "/login");
        WebElement form = visible(driver, By.cssSelector("form[action='/login']"));
        form.findElement(By.name("email")).sendKeys(who.email());
        form.findElement(By.name("password")).sendKeys(Fixture.PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitForPath(driver, "/");
    }

    /** A mark on the window that only a full page load would remove. */
    private static void markPage(ChromeDriver driver) {
        js(driver).executeScript("window.__noReload = 1");
    }

    private static void assertNotReloaded(ChromeDriver driver) {
        assertThat(js(driver).executeScript("return window.__noReload")).as("the page was not reloaded").isEqualTo(1L);
    }

    /** Waits for a job; parts of the page are swapped as it changes, so a just-found element may already be replaced. */
    private static WebDriverWait await(ChromeDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, JOB_WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The text of an element that may be replaced while it is read. */
    private static String text(ChromeDriver driver, By by) {
        return await(driver).until(d -> d.findElement(by).getText());
    }

    /** How many live streams the document has opened (counting from its load; boosted navigation keeps the document). */
    private static long streamOpens(ChromeDriver driver) {
        return ((Number) js(driver).executeScript("return window.__streamOpens")).longValue();
    }

    private static String chip(ChromeDriver driver) {
        return driver.findElement(By.id("job-status")).getText();
    }

    private void awaitChip(ChromeDriver driver, String status) {
        await(driver).withMessage(() -> "the chip says " + chip(driver) + ", not " + status + "; the job is "
                        + watch.current(path(driver).substring("/jobs/".length())).status().key() + " in the database; the page listens to "
                        + js(driver).executeScript("return document.getElementById('job-stream').getAttribute('sse-connect')")
                        + " and opened " + js(driver).executeScript("return window.__streamOpens") + " streams")
                .until(d -> status.equals(chip(driver)));
    }

    /** The texts of the log's "step i of n" lines, in page order. */
    @SuppressWarnings("unchecked")
    private static List<String> stepLines(ChromeDriver driver) {
        return (List<String>) js(driver).executeScript("""
                return Array.from(document.querySelectorAll('#job-log li span'), span => span.textContent)
                            .filter(text => /^step \\d+ of \\d+$/.test(text));""");
    }

    @SuppressWarnings("unchecked")
    private static List<Long> logSeqs(ChromeDriver driver) {
        return (List<Long>) js(driver).executeScript(
                "return Array.from(document.querySelectorAll('#job-log li'), li => Number(li.getAttribute('data-seq')));");
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    // ---- job helpers -------------------------------------------------------------------------------------

    private Job enqueue(String title, String type, String targetId, Map<String, ?> params) {
        NewJob job = new NewJob(fixture.client1.id(), type, title, targetId == null ? null : "server", targetId, params,
                fixture.client1User);
        return watch.enqueue(job);
    }

    /** A job that runs for a minute unless cancelled; cancelled at the end in any case. */
    private Job enqueueLong(String title) {
        Job job = enqueue(title, TestJobTypes.STEPS, null, Map.of("steps", 600, "delayMillis", 100));
        longJobs.add(job.id());
        return job;
    }
}
