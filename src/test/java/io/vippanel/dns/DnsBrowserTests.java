package io.vippanel.dns;

import static io.vippanel.support.HeadlessChromium.clickNav;
import static io.vippanel.support.HeadlessChromium.js;
import static io.vippanel.support.HeadlessChromium.visible;
import static io.vippanel.support.HeadlessChromium.waitForPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.JobsTestProperties;
import io.vippanel.support.Fixture;
import io.vippanel.support.HeadlessChromium;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PowerDnsServer;
import io.vippanel.tenancy.Actor;
import java.util.UUID;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The DNS pages in a real browser, with a real worker and a real PowerDNS: a customer sees the PowerDNS its reseller
 * shares (and cannot connect one itself), creates a zone and watches it go pending › active live, adds records that
 * PowerDNS then answers while their pending badges clear on the open page, and sees a bad record refused in the form. No page breaks the Content-Security-Policy.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsBrowserTests {

    static PowerDnsServer pdns;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PowerDnsServer.assumeUsable();
        pdns = PowerDnsServer.start();
        JobsTestProperties.register(registry, "dns_browser");
        registry.add("vip.dns.propagation-interval", () -> "200ms");
        registry.add("vip.dns.propagation-timeout", () -> "20s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    private final HeadlessChromium chromium = new HeadlessChromium("dns");
    private Fixture fixture;
    private ChromeDriver client;
    private String zone;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        DnsAccounts accounts = context.getBean(DnsAccounts.class);
        Fixture.as(fixture.reseller1User, () -> accounts.create(fixture.reseller1User, new NewDnsAccount("powerdns",
                "Reseller DNS", true, pdns.apiUrl(), pdns.apiKey(), "localhost", "ns1.panel.test ns2.panel.test",
                "127.0.0.1:" + pdns.dnsPort(), null, null, null, null)));
        zone = "browser-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        client = chromium.open();
        client.manage().window().setSize(new Dimension(1366, 1400));
        signIn(client, fixture.client1User);
    }

    @AfterAll
    void tearDown() {
        chromium.close();
        if (pdns != null) {
            pdns.close();
        }
    }

    @Test
    @Order(1)
    void aCustomerSeesTheSharedPowerDnsButCannotConnectOne() {
        clickNav(client, "/dns");
        visible(client, By.id("no-zones"));
        client.get(base() + "/dns/accounts");
        assertThat(visible(client, By.id("dns-accounts")).getText()).contains("Reseller DNS", "shared by a tenant above");
        Select kind = new Select(client.findElement(By.name("kind")));
        assertThat(kind.getOptions()).extracting(option -> option.getAttribute("value")).containsExactly("cloudflare", "route53");
        assertThat(client.findElement(By.name("apiToken")).isDisplayed()).isTrue();
        assertThat(client.findElement(By.name("accessKeyId")).isDisplayed()).as("Route 53 fields hidden for Cloudflare").isFalse();
        kind.selectByValue("route53");
        assertThat(client.findElement(By.name("accessKeyId")).isDisplayed()).isTrue();
        assertThat(client.findElement(By.name("apiToken")).isDisplayed()).isFalse();
        chromium.screenshot(client, "accounts-light");
        chromium.assertNoCspViolations(client, "the DNS accounts");
    }

    @Test
    @Order(2)
    void aNewZoneGoesFromPendingToActiveLive() {
        client.get(base() + "/dns");
        client.findElement(By.cssSelector("#zone-form [name=name]")).sendKeys(zone);
        client.findElement(By.name("zoneFile")).sendKeys("@ 3600 IN A 192.0.2.80\n");
        chromium.screenshot(client, "zone-form-light");
        client.findElement(By.cssSelector("#zone-form button[type=submit]")).click();
        waitForPath(client, "/dns/zones/zone_.*");
        assertThat(visible(client, By.id("zone-name")).getText()).isEqualTo(zone);
        new WebDriverWait(client, HeadlessChromium.WAIT).until(driver -> text("#zone-status .status-chip").equals("active"));
        assertThat(text("#zone-nameservers")).contains("ns1.panel.test");
        chromium.screenshot(client, "zone-active-light");
    }

    @Test
    @Order(3)
    void recordsAddedInTheEditorAreServedAndABadOneIsRefusedInPlace() throws Exception {
        addRecord("www", "A", "192.0.2.81");
        addRecord("@", "MX", "10 mail." + zone);
        addRecord("@", "TXT", "v=spf1 mx -all");
        new WebDriverWait(client, HeadlessChromium.WAIT)
                .until(driver -> pdnsAnswer("www." + zone, "A").equals("192.0.2.81") && pdnsAnswer(zone, "TXT").contains("spf1"));
        new WebDriverWait(client, HeadlessChromium.WAIT)
                .until(driver -> !recordsText().contains("pending") && text("#zone-status .status-chip").equals("active"));
        chromium.screenshot(client, "records-applied-light");
        assertThat(recordsText()).contains("www", "192.0.2.81", "10 mail." + zone + ".",
                "\"v=spf1 mx -all\"");

        client.findElement(By.cssSelector("#record-form [name=name]")).sendKeys("@");
        new Select(client.findElement(By.cssSelector("#record-form [name=type]"))).selectByValue("CNAME");
        client.findElement(By.cssSelector("#record-form [name=content]")).sendKeys("elsewhere.example.net");
        client.findElement(By.cssSelector("#record-form button[type=submit]")).click();
        assertThat(visible(client, By.id("name-error")).getText()).contains("apex");
        assertThat(client.findElement(By.cssSelector("#record-form [name=content]")).getAttribute("value")).as("the typed value is kept").isEqualTo("elsewhere.example.net");
        chromium.screenshot(client, "record-refused-light");
        chromium.assertNoCspViolations(client, "the zone page");
    }

    private void addRecord(String name, String type, String content) {
        client.findElement(By.cssSelector("#record-form [name=name]")).clear();
        client.findElement(By.cssSelector("#record-form [name=name]")).sendKeys(name);
        new Select(client.findElement(By.cssSelector("#record-form [name=type]"))).selectByValue(type);
        client.findElement(By.cssSelector("#record-form [name=content]")).clear();
        client.findElement(By.cssSelector("#record-form [name=content]")).sendKeys(content);
        client.findElement(By.cssSelector("#record-form button[type=submit]")).click();
        new WebDriverWait(client, HeadlessChromium.WAIT).until(driver -> recordsText()
                .contains(content.startsWith("v=") ? content : content.split(" ")[content.split(" ").length - 1]));
    }

    private String recordsText() {
        return text("#dns-records");
    }

    /** An element's text, read in one step: the open page swaps the zone's status and records while a job works. */
    private String text(String selector) {
        Object text = js(client).executeScript("var found = document.querySelector(arguments[0]); return found ? found.innerText.trim() : '';",
                selector);
        return text == null ? "" : text.toString();
    }

    private String pdnsAnswer(String name, String type) {
        try {
            return pdns.dig(name, type, "+short").strip();
        } catch (Exception e) {
            return "";
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private void signIn(ChromeDriver driver, Actor who) {
        HeadlessChromium.signIn(driver, base(), who);
    }
}
