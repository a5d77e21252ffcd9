package io.vippanel;

import static io.vippanel.support.HeadlessChromium.WAIT;
import static io.vippanel.support.HeadlessChromium.clickNav;
import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.path;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.vippanel.identity.Onboarding;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestDatabase;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first hours of a panel in a real headless Chromium: first-run setup of the superadmin with forced 2FA,
 * sign-in with a TOTP code, a reseller tenant and its user, a client tenant created by that reseller and its
 * user, and what the client may and may not see. Every major step leaves a screenshot in
 * {@code vip.screenshots} (default {@code target/screenshots}); no page may report a CSP violation.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserFlowTests {

    /** A database of its own: the flow needs a panel that has no superadmin yet. */
    static final String DATABASE_URL = TestDatabase.create("browser");

    private static final long TOTP_STEP_SECONDS = 30;
    private static final String SUPER_EMAIL = "owner@example.test";
    private static final String SUPER_PASSWORD = "Quartz lantern orbit 718";
    private static final String RESELLER_EMAIL = "rita@reseller.example.test";
    private static final String RESELLER_PASSWORD = "Velvet harbour signal 294";
    private static final String CLIENT_EMAIL = "carl@client.example.test";
    private static final String CLIENT_PASSWORD = "Marble cactus thunder 563";
    private static final String RESELLER_TENANT = "Acme Reseller";
    private static final String CLIENT_TENANT = "Carl's Bakery";

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("vip.database.url", () -> DATABASE_URL);
    }

    @LocalServerPort
    int port;

    @Autowired
    Onboarding onboarding;

    @Autowired
    Environment environment;

    private final HeadlessChromium chromium = new HeadlessChromium();
    private int stepsDone;

    private ChromeDriver admin;
    private ChromeDriver reseller;
    private ChromeDriver client;
    private String adminTotpKey;
    private long adminLastStep;
    private String resellerTenantId;
    private String resellerInvite;
    private String clientTenantId;
    private String clientInvite;

    @Test
    @Order(1)
    void theFirstSuperadminIsCreatedFromTheSetupLinkAndMustEnrolIn2fa() {
        begin(1);
        assertThat(environment.getProperty("vip.database.url")).as("the dynamic property wins over the test defaults").isEqualTo(DATABASE_URL);
        assertThat(onboarding.superadminExists()).isFalse();
        String setupLink = local(onboarding.issueSetupLink().orElseThrow());

        admin = chromium.open();
        admin.get(setupLink);
        assertThat(admin.findElement(By.tagName("h1")).getText()).containsIgnoringCase("superadmin");
        chromium.screenshot(admin, "setup-form");
        WebElement form = admin.findElement(By.cssSelector("main form"));
        form.findElement(By.name("displayName")).sendKeys("Olivia Owner");
        form.findElement(By.name("email")).sendKeys(SUPER_EMAIL);
        form.findElement(By.name("password")).sendKeys(SUPER_PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        waitForPath(admin, "/profile/2fa");
        assertThat(visible(admin, By.cssSelector("[role=alert]")).getText()).contains("requires two-factor authentication");
        chromium.screenshot(admin, "forced-2fa-enrolment");

        // Nothing else opens before enrolment.
        for (String path : List.of("/", "/tenants", "/users", "/profile")) {
            admin.get(base() + path);
            waitForPath(admin, "/profile/2fa");
        }
        chromium.assertNoCspViolations(admin, "setup and enrolment");
        stepsDone = 1;
    }

    @Test
    @Order(2)
    void enrollingWithATotpCodeShowsTenRecoveryCodesAndOpensThePanel() {
        begin(2);
        adminTotpKey = visible(admin, By.id("manual-key")).getText().replaceAll("\\s", "");
        assertThat(adminTotpKey).matches("[A-Z2-7]{32}");
        adminLastStep = submitEnrolmentCode(admin, adminTotpKey);

        List<WebElement> codes = visible(admin, By.id("recovery-codes")).findElements(By.tagName("li"));
        assertThat(codes).hasSize(10);
        assertThat(codes).allSatisfy(code -> assertThat(code.getText()).matches("[a-z0-9]{5}-[a-z0-9]{5}"));
        assertThat(admin.findElement(By.id("notice")).getText()).contains("Two-factor authentication is on");
        chromium.screenshot(admin, "recovery-codes");

        admin.get(base() + "/");
        waitForPath(admin, "/");
        assertThat(visible(admin, By.id("count-tenants")).getText()).isEqualTo("1");
        assertThat(admin.findElement(By.id("count-users")).getText()).isEqualTo("1");
        assertThat(navLinks(admin)).contains("/", "/tenants", "/users", "/audit", "/profile");
        chromium.screenshot(admin, "superadmin-dashboard");
        chromium.assertNoCspViolations(admin, "enrolment");
        stepsDone = 2;
    }

    @Test
    @Order(3)
    void theSuperadminSignsOutAndBackInWithPasswordAndAFreshCode() {
        begin(3);
        signOut(admin);
        assertThat(visible(admin, By.cssSelector("[role=status]")).getText()).contains("You are signed out");
        chromium.screenshot(admin, "signed-out");

        submitLogin(admin, SUPER_EMAIL, "not the password at all");
        assertThat(visible(admin, By.id("login-error")).getText()).contains("Email or password is wrong");

        submitLogin(admin, SUPER_EMAIL, SUPER_PASSWORD);
        waitForPath(admin, "/login/2fa");
        chromium.screenshot(admin, "login-second-factor");
        long step = nextUnusedStep(adminLastStep);
        WebElement code = visible(admin, By.name("code"));
        code.sendKeys(totp(adminTotpKey, step));
        submit(code);
        adminLastStep = step;

        waitForPath(admin, "/");
        assertThat(visible(admin, By.id("count-users")).getText()).isEqualTo("1");
        chromium.screenshot(admin, "superadmin-signed-in-with-2fa");
        chromium.assertNoCspViolations(admin, "sign-in");
        stepsDone = 3;
    }

    @Test
    @Order(4)
    void theSuperadminCreatesAResellerTenantAfterAnInlineValidationError() {
        begin(4);
        clickNav(admin, "/tenants");
        WebElement table = visible(admin, By.id("tenants"));
        openDetails(admin, "New tenant");

        // An empty name: the form comes back in place (HTMX swap of #tenant-form only) with the field error.
        WebElement form = visible(admin, By.id("tenant-form"));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement nameError = visible(admin, By.cssSelector("#tenant-form #name-error"));
        assertThat(nameError.getText()).isNotBlank();
        assertThat(path(admin)).isEqualTo("/tenants");
        assertThat(table.isDisplayed()).as("the rest of the page was not replaced").isTrue();
        assertThat(admin.findElement(By.cssSelector("details")).getDomAttribute("open")).isNotNull();
        chromium.screenshot(admin, "tenant-form-inline-error");

        form = admin.findElement(By.id("tenant-form"));
        form.findElement(By.name("name")).sendKeys(RESELLER_TENANT);
        new Select(form.findElement(By.name("kind"))).selectByValue("reseller");
        assertThat(new Select(form.findElement(By.name("parentId"))).getFirstSelectedOption().getText()).contains("(platform)");
        form.findElement(By.name("maxUsers")).sendKeys("25");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        resellerTenantId = waitForTenantDetail(admin);
        assertThat(visible(admin, By.cssSelector("[role=status]")).getText()).contains("Tenant created");
        assertThat(admin.findElement(By.cssSelector("main h2")).getText()).isEqualTo(RESELLER_TENANT);
        chromium.screenshot(admin, "reseller-tenant-created");

        clickNav(admin, "/tenants");
        List<WebElement> rows = visible(admin, By.id("tenants")).findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(2);
        // The setup made 2FA mandatory on the platform tenant, which every tenant below inherits.
        List<String> cells = rows.get(1).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.subList(0, 5)).containsExactly("— " + RESELLER_TENANT, "reseller", "active", "25", "required");
        chromium.screenshot(admin, "tenants-list");
        chromium.assertNoCspViolations(admin, "tenants");
        stepsDone = 4;
    }

    @Test
    @Order(5)
    void theSuperadminInvitesAResellerUser() {
        begin(5);
        clickNav(admin, "/users");
        openDetails(admin, "Invite a user");
        WebElement form = visible(admin, By.id("invite-form"));
        form.findElement(By.name("email")).sendKeys(RESELLER_EMAIL);
        form.findElement(By.name("displayName")).sendKeys("Rita Reseller");
        new Select(form.findElement(By.name("tenantId"))).selectByValue(resellerTenantId);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        resellerInvite = local(visible(admin, By.id("invite-link")).getText());
        assertThat(resellerInvite).contains("/invite/");
        assertThat(admin.findElement(By.id("users")).getText()).contains(RESELLER_EMAIL, "invited");
        chromium.screenshot(admin, "reseller-invited");
        chromium.assertNoCspViolations(admin, "invitation");
        stepsDone = 5;
    }

    @Test
    @Order(6)
    void theResellerAcceptsTheInvitationAndCreatesAClientWithAUser() {
        begin(6);
        reseller = chromium.open();
        acceptInvitation(reseller, resellerInvite, RESELLER_EMAIL, RESELLER_PASSWORD, "reseller");
        signInFirstTime(reseller, RESELLER_EMAIL, RESELLER_PASSWORD, "reseller");

        // The reseller works in the dark theme: the Alpine (CSP build) toggle must work, and dark pages must read well.
        reseller.findElement(By.cssSelector("[aria-label='Toggle light or dark theme']")).click();
        new WebDriverWait(reseller, WAIT).until(d -> "dark".equals(js(d).executeScript("return document.documentElement.getAttribute('data-theme')")));
        assertThat(navLinks(reseller)).contains("/tenants", "/users");
        chromium.screenshot(reseller, "reseller-dashboard-dark");

        clickNav(reseller, "/tenants");
        openDetails(reseller, "New tenant");
        WebElement form = visible(reseller, By.id("tenant-form"));
        form.findElement(By.name("name")).sendKeys(CLIENT_TENANT);
        assertThat(new Select(form.findElement(By.name("kind"))).getFirstSelectedOption().getDomAttribute("value")).isEqualTo("client");
        Select parent = new Select(form.findElement(By.name("parentId")));
        assertThat(parent.getOptions()).extracting(WebElement::getText).noneMatch(label -> label.contains("(platform)"));
        assertThat(parent.getFirstSelectedOption().getDomAttribute("value")).isEqualTo(resellerTenantId);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        clientTenantId = waitForTenantDetail(reseller);
        assertThat(reseller.findElement(By.cssSelector("main h2")).getText()).isEqualTo(CLIENT_TENANT);
        chromium.screenshot(reseller, "client-tenant-created-dark");

        clickNav(reseller, "/users");
        openDetails(reseller, "Invite a user");
        form = visible(reseller, By.id("invite-form"));
        form.findElement(By.name("email")).sendKeys(CLIENT_EMAIL);
        form.findElement(By.name("displayName")).sendKeys("Carl Client");
        new Select(form.findElement(By.name("tenantId"))).selectByValue(clientTenantId);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        clientInvite = local(visible(reseller, By.id("invite-link")).getText());
        String users = reseller.findElement(By.id("users")).getText();
        assertThat(users).contains(RESELLER_EMAIL, CLIENT_EMAIL).doesNotContain(SUPER_EMAIL);
        chromium.screenshot(reseller, "client-invited-dark");
        chromium.assertNoCspViolations(reseller, "reseller");
        stepsDone = 6;
    }

    @Test
    @Order(7)
    void theClientSeesOnlyTheirOwnTenant() {
        begin(7);
        client = chromium.open();
        acceptInvitation(client, clientInvite, CLIENT_EMAIL, CLIENT_PASSWORD, "client");
        signInFirstTime(client, CLIENT_EMAIL, CLIENT_PASSWORD, "client");

        assertThat(navLinks(client)).containsExactly("/", "/", "/users", "/servers", "/sites", "/dns", "/ssl", "/providers", "/jobs", "/audit", "/profile");
        assertThat(client.findElements(By.cssSelector("nav a[href='/tenants']"))).isEmpty();
        assertThat(client.findElements(By.id("count-tenants"))).isEmpty();
        assertThat(visible(client, By.id("count-users")).getText()).isEqualTo("1");
        assertThat(client.findElement(By.cssSelector("nav[aria-label=Main]")).getText()).contains(CLIENT_TENANT);
        chromium.screenshot(client, "client-dashboard");

        clickNav(client, "/users");
        List<WebElement> rows = visible(client, By.id("users")).findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getText()).contains(CLIENT_EMAIL, CLIENT_TENANT);
        assertThat(client.findElement(By.tagName("main")).getText()).doesNotContain(RESELLER_EMAIL, SUPER_EMAIL, "Invite a user");
        chromium.screenshot(client, "client-users");

        client.get(base() + "/tenants");
        assertThat(visible(client, By.tagName("h1")).getText()).startsWith("403");
        assertThat(client.findElement(By.tagName("main")).getText()).contains("does not have the tenant view permission")
                .doesNotContain(RESELLER_TENANT);
        chromium.screenshot(client, "client-tenants-forbidden");
        client.get(base() + "/tenants/" + resellerTenantId);
        assertThat(visible(client, By.tagName("h1")).getText()).startsWith("403");

        client.get(base() + "/");
        waitForPath(client, "/");
        visible(client, By.id("count-users"));
        chromium.assertNoCspViolations(client, "client");

        client.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.<String, Object>of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        client.navigate().refresh();
        visible(client, By.id("count-users"));
        assertThat(client.findElement(By.cssSelector("nav[aria-label=Main]")).isDisplayed()).as("the sidebar is a drawer on phones").isFalse();
        chromium.screenshot(client, "client-dashboard-mobile");
        client.findElement(By.cssSelector("label[for=nav-drawer].btn")).click();
        new WebDriverWait(client, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("nav[aria-label=Main] a[href='/users']")));
        chromium.screenshot(client, "client-mobile-navigation");
        chromium.assertNoCspViolations(client, "client on a phone");
        stepsDone = 7;
    }

    @Test
    @Order(8)
    void theCspCheckWouldNoticeAViolation() {
        begin(8);
        // Proves that the browser log reading above can see a CSP violation at all: an inline script is refused.
        js(client).executeScript("var s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.head.appendChild(s);");
        List<String> violations = new WebDriverWait(client, WAIT).until(d -> {
            List<String> found = chromium.cspViolations(client);
            return found.isEmpty() ? null : found;
        });
        assertThat(violations).anySatisfy(message -> assertThat(message).contains("Content Security Policy"));
        assertThat(js(client).executeScript("return window.injected === undefined")).isEqualTo(Boolean.TRUE);
        stepsDone = 8;
    }

    @AfterAll
    void closeBrowsers() {
        chromium.close();
    }

    // ---- flow helpers ------------------------------------------------------------------------------------

    private void acceptInvitation(ChromeDriver driver, String link, String email, String password, String who) {
        driver.get(link);
        assertThat(visible(driver, By.tagName("main")).getText()).contains(email);
        // Too short first: the server explains it next to the field.
        WebElement field = driver.findElement(By.name("password"));
        field.sendKeys("short");
        submit(field);
        assertThat(visible(driver, By.id("password-error")).getText()).contains("at least 12 characters");
        chromium.screenshot(driver, who + "-set-password-error");
        field = driver.findElement(By.name("password"));
        field.sendKeys(password);
        submit(field);
        waitForPath(driver, "/login");
        assertThat(visible(driver, By.cssSelector("[role=status]")).getText()).contains("Your password is set");
    }

    /**
     * Signs in for the first time. The platform tenant requires 2FA since the setup and every tenant below inherits
     * that, so the user is sent to enrol first; then the dashboard opens.
     */
    private void signInFirstTime(ChromeDriver driver, String email, String password, String who) {
        submitLogin(driver, email, password);
        waitForPath(driver, "/profile/2fa");
        assertThat(visible(driver, By.cssSelector("[role=alert]")).getText()).contains("requires two-factor authentication");
        chromium.screenshot(driver, who + "-forced-2fa");
        String key = visible(driver, By.id("manual-key")).getText().replaceAll("\\s", "");
        submitEnrolmentCode(driver, key);
        assertThat(visible(driver, By.id("recovery-codes")).findElements(By.tagName("li"))).hasSize(10);
        driver.get(base() + "/");
        waitForPath(driver, "/");
        assertThat(visible(driver, By.cssSelector("header")).getText()).contains(who);
    }

    private long submitEnrolmentCode(ChromeDriver driver, String key) {
        long step = currentStep();
        WebElement code = visible(driver, By.name("code"));
        code.sendKeys(totp(key, step));
        submit(code);
        waitForPath(driver, "/profile/2fa");
        visible(driver, By.id("recovery-codes"));
        return step;
    }

    private void submitLogin(ChromeDriver driver, String email, String password) {
        if (!path(driver).equals("/login")) {
            driver.get(base() + "/login");
        }
        WebElement form = visible(driver, By.cssSelector("form[action='/login']"));
        WebElement emailField = form.findElement(By.name("email"));
        emailField.clear();
        emailField.sendKeys(email);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(form));
    }

    /** Clicks the submit button of the field's form, as a person would. */
    private static void submit(WebElement field) {
        field.findElement(By.xpath("ancestor::form//button[@type='submit']")).click();
    }

    private void signOut(ChromeDriver driver) {
        driver.findElement(By.cssSelector("header .dropdown [role=button]")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("form[action='/logout'] button"))).click();
        waitForPath(driver, "/login");
    }

    private void openDetails(ChromeDriver driver, String summary) {
        WebElement title = visible(driver, By.xpath("//summary[normalize-space()='" + summary + "']"));
        title.click();
        new WebDriverWait(driver, WAIT).until(d -> title.findElement(By.xpath("..")).getDomProperty("open").equals("true"));
    }

    private String waitForTenantDetail(ChromeDriver driver) {
        new WebDriverWait(driver, WAIT).until(d -> path(d).matches("/tenants/[^/]+"));
        visible(driver, By.cssSelector("main h2"));
        return path(driver).substring("/tenants/".length());
    }

    private static List<String> navLinks(ChromeDriver driver) {
        return driver.findElements(By.cssSelector("nav[aria-label=Main] a")).stream().map(a -> a.getDomAttribute("href")).toList();
    }

    // ---- addresses and steps -----------------------------------------------------------------------------

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Links the panel prints carry its configured base URL (127.0.0.1:8080 by default); the test's panel is elsewhere. */
    private String local(String link) {
        return link.strip().replaceFirst("^https?://[^/]+", base());
    }

    private void begin(int step) {
        Assumptions.assumeThat(stepsDone).as("an earlier step of the flow failed").isEqualTo(step - 1);
    }

    // ---- TOTP ---------------------------------------------------------------------------------------------

    private static long currentStep() {
        return Instant.now().getEpochSecond() / TOTP_STEP_SECONDS;
    }

    /** The panel refuses a code of a time step it has already accepted: waits for the next step when needed. */
    private static long nextUnusedStep(long lastUsed) {
        while (currentStep() <= lastUsed) {
            long millisToNext = (lastUsed + 1) * TOTP_STEP_SECONDS * 1000 - System.currentTimeMillis();
            try {
                Thread.sleep(Math.max(50, millisToNext + 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return currentStep();
    }

    private static String totp(String base32Key, long step) {
        try {
            TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(TOTP_STEP_SECONDS), 6,
                    TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
            SecretKeySpec key = new SecretKeySpec(new Base32().decode(base32Key), TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
            return generator.generateOneTimePasswordString(key, Instant.ofEpochSecond(step * TOTP_STEP_SECONDS));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
