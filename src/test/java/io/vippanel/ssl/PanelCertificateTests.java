package io.vippanel.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PebbleServer;
import io.vippanel.support.PowerDnsServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The panel's own hostname gets its certificate from the platform's ACME account: a real Pebble resolves the name
 * through a real PowerDNS and fetches the HTTP-01 answer from the webroot (served here as the panel's nginx serves
 * /.well-known/acme-challenge/), the certificate and key land where nginx reads them and the reload command runs.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelCertificateTests {

    static PowerDnsServer pdns;
    static PebbleServer pebble;
    static HttpServer webrootServer;
    static Path webroot;
    static Path certificates;
    static String hostname;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PowerDnsServer.assumeUsable();
        PebbleServer.assumeUsable();
        pdns = PowerDnsServer.start();
        String zone = "panel-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        hostname = "panel." + zone;
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pdns.apiUrl()
                        + "/api/v1/servers/localhost/zones")).header("X-API-Key", pdns.apiKey()).POST(HttpRequest.BodyPublishers.ofString("""
                {"name": "%s.", "kind": "Native", "nameservers": ["ns1.panel.test."],
                 "rrsets": [{"name": "%s.", "type": "A", "ttl": 60, "records": [{"content": "127.0.0.1", "disabled": false}]}]}"""
                .formatted(zone, hostname))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        webroot = Files.createTempDirectory("vip-panel-webroot");
        certificates = Files.createTempDirectory("vip-panel-certs");
        // The webroot as the panel's nginx serves it (JDK's SimpleFileServer hides dot folders such as .well-known).
        webrootServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webrootServer.createContext("/.well-known/acme-challenge/", exchange -> {
            Path file = webroot.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = file.startsWith(webroot) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        webrootServer.start();
        pebble = PebbleServer.start(pdns.dnsPort(), webrootServer.getAddress().getPort());
        registry.add("vip.ssl.acme-directory", () -> pebble.directoryUrl().toString());
        registry.add("vip.ssl.acme-trust-roots", () -> pebble.tlsTrustFile().toString());
        registry.add("vip.ssl.panel-hostname", () -> hostname);
        registry.add("vip.ssl.panel-webroot", () -> webroot.toString());
        registry.add("vip.ssl.panel-certificate-dir", () -> certificates.toString());
        registry.add("vip.ssl.panel-reload-command", () -> "date +%s%N >> " + certificates.resolve("reloads"));
    }

    @Autowired
    ApplicationContext context;

    Fixture fixture;
    PanelCertificate panel;
    final List<String> progress = new ArrayList<>();

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        panel = context.getBean(PanelCertificate.class);
    }

    @AfterAll
    void tearDown() {
        if (webrootServer != null) {
            webrootServer.stop(0);
        }
        if (pebble != null) {
            pebble.close();
        }
        if (pdns != null) {
            pdns.close();
        }
        FileSystemUtils.deleteRecursively(webroot.toFile());
        FileSystemUtils.deleteRecursively(certificates.toFile());
    }

    @Test
    @Order(1)
    void withoutThePlatformsAcmeAccountItSaysWhatToDo() {
        assertThatThrownBy(() -> panel.renew(false, progress::add)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no ACME account yet");
        assertThat(certificates.resolve("fullchain.pem")).doesNotExist();
    }

    @Test
    @Order(2)
    void theHostnameGetsItsCertificateWhereNginxReadsIt() throws Exception {
        AcmeAccountSettings accounts = context.getBean(AcmeAccountSettings.class);
        Fixture.as(fixture.admin, () -> accounts.register(fixture.admin, null, "ops@example.com", true));

        PanelCertificate.Outcome outcome = panel.renew(false, progress::add);

        assertThat(outcome.issued()).isTrue();
        X509Certificate leaf = leaf();
        assertThat(leaf.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList()).containsExactly(hostname);
        assertThat(leaf.getSerialNumber().toString(16)).isEqualToIgnoringCase(outcome.serial());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificates.resolve("privkey.pem")))).isEqualTo("rw-------");
        assertThat(Files.readString(certificates.resolve("privkey.pem"))).contains("PRIVATE KEY");
        assertThat(Files.readAllLines(certificates.resolve("reloads"))).hasSize(1);
        assertThat(outcome.renewAfter()).isBefore(outcome.notAfter());
        try (Stream<Path> left = Files.walk(webroot)) {
            assertThat(left.filter(Files::isRegularFile)).as("the challenge answers are removed").isEmpty();
        }
        assertThat(progress).anyMatch(line -> line.contains("Ordering a certificate for " + hostname));
    }

    @Test
    @Order(3)
    void aCurrentCertificateStaysAndForceOrdersANewOne() throws Exception {
        String serial = leaf().getSerialNumber().toString(16);
        PanelCertificate.Outcome kept = panel.renew(false, progress::add);
        assertThat(kept.issued()).isFalse();
        assertThat(kept.serial()).isEqualToIgnoringCase(serial);
        assertThat(Files.readAllLines(certificates.resolve("reloads"))).hasSize(1);

        PanelCertificate.Outcome forced = panel.renew(true, progress::add);
        assertThat(forced.issued()).isTrue();
        assertThat(leaf().getSerialNumber().toString(16)).isNotEqualToIgnoringCase(serial).isEqualToIgnoringCase(forced.serial());
        assertThat(Files.readAllLines(certificates.resolve("reloads"))).hasSize(2);
    }

    private static X509Certificate leaf() throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificates.resolve("fullchain.pem"))));
    }
}
