package io.vippanel.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.tenancy.Actor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium windows for browser tests (Debian's {@code chromium} and {@code chromium-driver}), each with a
 * throw-away profile. Screenshots land in {@code vip.screenshots} (default {@code target/screenshots}), numbered in
 * the order they are taken and named with an optional per-class prefix, only once the page is settled, styled and
 * laid out; the browser log is kept so tests can assert that no page reported a CSP violation or a script error.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    /** Empty, or the per-class prefix and a dash. */
    private final String prefix;
    private final Path screenshots = Paths.get(System.getProperty("vip.screenshots", "target/screenshots"));
    private final List<ChromeDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private final List<String> browserLog = new ArrayList<>();
    private int screenshotCount;

    /** Screenshots named {@code 01-name.png}, {@code 02-name.png}, ... */
    public HeadlessChromium() {
        this("");
    }

    /** Screenshots named {@code prefix-01-name.png}, {@code prefix-02-name.png}, ... */
    public HeadlessChromium(String screenshotPrefix) {
        this.prefix = screenshotPrefix.isEmpty() ? "" : screenshotPrefix + "-";
    }

    public ChromeDriver open() {
        try {
            Path profile = Files.createTempDirectory("vip-chromium-");
            profiles.add(profile);
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1366,900",
                    "--user-data-dir=" + profile);
            LoggingPreferences logging = new LoggingPreferences();
            logging.enable(LogType.BROWSER, Level.ALL);
            options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            drivers.add(driver);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG of the viewport once the page is settled and styled, and returns its path. */
    public Path screenshot(ChromeDriver driver, String name) {
        waitUntilSettled(driver);
        Object background = js(driver).executeScript("return getComputedStyle(document.body).backgroundColor");
        assertThat(background).as("the stylesheet is applied on %s", path(driver)).isNotEqualTo("rgba(0, 0, 0, 0)");
        assertLaidOut(driver);
        Path file = screenshots.resolve(String.format(Locale.ROOT, "%s%02d-%s.png", prefix, ++screenshotCount, name));
        try {
            Files.createDirectories(screenshots);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The page's frame fills the window without sideways scrolling, whichever layout the page before had (boosted
     * navigation swaps the body's content, not the body), and signed-in pages carry the CSRF header for HTMX.
     */
    private static void assertLaidOut(ChromeDriver driver) {
        @SuppressWarnings("unchecked")
        List<Object> layout = (List<Object>) js(driver).executeScript("""
                var frame = document.body.firstElementChild.getBoundingClientRect();
                var drawer = document.querySelector('.drawer');
                return [frame.left, frame.top, document.documentElement.scrollWidth - document.documentElement.clientWidth,
                        !drawer || (drawer.getAttribute('hx-headers') || '').indexOf('X-CSRF-TOKEN') > 0];""");
        assertThat(layout).as("frame left, frame top, sideways overflow, CSRF header on %s", path(driver))
                .containsExactly(0L, 0L, 0L, true);
    }

    public void assertNoCspViolations(ChromeDriver driver, String where) {
        assertThat(cspViolations(driver)).as("CSP violations or script errors during %s", where).isEmpty();
    }

    /** The CSP violations and script errors the browser logged since the log was last read. */
    public List<String> cspViolations(ChromeDriver driver) {
        return readLog(driver).stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Refused to") || message.contains("Uncaught"))
                .toList();
    }

    private List<LogEntry> readLog(ChromeDriver driver) {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        entries.forEach(entry -> browserLog.add(entry.getLevel() + " " + entry.getMessage()));
        return entries;
    }

    public static void waitUntilSettled(WebDriver driver) {
        new WebDriverWait(driver, WAIT).until(d -> Boolean.TRUE.equals(js(d).executeScript(
                "return document.readyState === 'complete' && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")));
    }

    public static WebElement visible(WebDriver driver, By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the path of the browser's address matches {@code regex} and the page has settled. */
    public static void waitForPath(WebDriver driver, String regex) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "expected the browser at " + regex + ", it is at " + driver.getCurrentUrl())
                .until(d -> path(d).matches(regex));
        waitUntilSettled(driver);
    }

    /** Signs {@code who} in with the fixture's password through the login form of the panel at {@code base}; waits for the dashboard. */
    public static void signIn(WebDriver driver, String base, Actor who) {
        driver.get(base + "/login");
        WebElement form = visible(driver, By.cssSelector("form[action='/login']"));
        form.findElement(By.name("email")).sendKeys(who.email());
        form.findElement(By.name("password")).sendKeys(Fixture.PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitForPath(driver, "/");
    }

    /** Follows the link to {@code href} in the panel's main navigation; waits until its page is open and the link is marked active. */
    public static void clickNav(WebDriver driver, String href) {
        driver.findElement(By.cssSelector("nav[aria-label=Main] a[href='" + href + "']")).click();
        waitForPath(driver, href);
        new WebDriverWait(driver, WAIT)
                .until(d -> !d.findElements(By.cssSelector("nav[aria-label=Main] a.menu-active[href='" + href + "']")).isEmpty());
    }

    public static String path(WebDriver driver) {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    public static JavascriptExecutor js(WebDriver driver) {
        return (JavascriptExecutor) driver;
    }

    @Override
    public void close() {
        for (ChromeDriver driver : drivers) {
            try {
                readLog(driver);
                driver.quit();
            } catch (RuntimeException e) {
                System.err.println("could not quit a browser: " + e);
            }
        }
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete " + profile + ": " + e);
            }
        }
        System.out.println("Browser log (" + browserLog.size() + " entries):");
        browserLog.forEach(line -> System.out.println("  " + line));
    }
}
