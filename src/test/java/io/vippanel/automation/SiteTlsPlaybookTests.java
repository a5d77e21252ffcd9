package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.automation.PlaybookResult.TaskResult;
import io.vippanel.support.TestManagedServer;
import io.vippanel.support.TestManagedServer.PanelKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and ACME HTTP-01 in the site playbooks (site-acme-challenge.yml, site-tls.yml, site.yml with site_tls) against
 * one provisioned {@link TestManagedServer}, checked from outside over real TCP: challenge tokens over HTTP (also with
 * HTTPS on, never redirected), the certificate the host presents for the site's name (SNI) with a test CA, the
 * redirect to HTTPS, HSTS, TLS versions, a renewal (reload, not restart), a key that does not match its certificate,
 * and the way back to plain HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteTlsPlaybookTests {

    private static final String ADMIN = ProvisioningPlaybookTests.ADMIN;
    private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();
    private static final String TLS_DIR = "/etc/ssl/vip-sites/site_tlsa";
    private static final String ACME_DIR = "/var/lib/vip-acme/site_tlsa";

    private static TestManagedServer server;
    private static PanelKey panelKey;
    private static PlaybookRunner runner;
    private static TestCa ca;
    private static TestCa.Leaf current;

    @TempDir
    static Path tmp;

    /** The site that gets a certificate (with a redirected alias) and one beside it that never does. */
    private static final Map<String, Object> SITE = site("site_tlsa", "tlsa", "tls.test", List.of("www.tls.test"));
    private static final Map<String, Object> OTHER = site("site_tlsb", "tlsb", "other.test", List.of());

    @BeforeAll
    static void provision() throws Exception {
        TestManagedServer.assumeUsable();
        TestSshHost.assumeUsable(true);
        String phpVersion = ProvisioningPlaybookTests.distroPhpVersion();
        long start = System.nanoTime();
        server = TestManagedServer.start();
        panelKey = TestManagedServer.newPanelKey("panel@test");
        server.installAuthorizedKey(panelKey.publicKey());
        runner = new PlaybookRunner(Path.of("automation"), "ansible-playbook", Duration.ofMinutes(10), Duration.ofSeconds(10));
        time("test host up", start);

        start = System.nanoTime();
        Map<String, Object> vars = ProvisioningPlaybookTests.provisionVars(server, panelKey, phpVersion, "none", false);
        RunWatcher watcher = new RunWatcher(Path.of("automation"), "provision-server.yml");
        PlaybookResult provisioned = runner.run(new PlaybookRun("provision-server.yml", login("root"), panelKey.privateKey(), vars,
                Set.of("database_root_password"), Duration.ofMinutes(8)), watcher);
        assertThat(provisioned.outcome()).as(diagnose(provisioned, watcher)).isEqualTo(Outcome.SUCCEEDED);
        time("provision-server.yml", start);

        ok("site.yml", present(SITE));
        ok("site.yml", present(OTHER));
        for (String user : List.of("tlsa", "tlsb")) {
            // a release by hand: deploys are SitePlaybookTests' subject
            must("mkdir -p /home/" + user + "/site/releases/r1 && echo '<h1>" + user + " page</h1>' > /home/" + user
                    + "/site/releases/r1/index.html && ln -sfn releases/r1 /home/" + user + "/site/current && chown -R " + user + ":"
                    + user + " /home/" + user + "/site");
        }
        assertThat(http("tls.test", "/").body()).contains("tlsa page");
        assertThat(http("other.test", "/").body()).contains("tlsb page");
        ca = new TestCa("VIP TLS Test");
        Files.writeString(tmp.resolve("ca.pem"), TestCa.pem(ca.root));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            long start = System.nanoTime();
            server.close();
            time("test host down", start);
            assertThat(server.leftovers()).as("what the test host left on the machine").isEmpty();
        }
        TIMINGS.forEach((step, millis) -> System.out.printf("[timing] %-55s %6d ms%n", step, millis));
    }

    @Test
    @Order(1)
    void challengeTokensAreServedOverHttpAndRemoved() throws Exception {
        String token = "tok-A_" + "x".repeat(40);
        String content = token + ".Thumb_print-9";
        PlaybookResult written = ok("site-acme-challenge.yml", acme("present", List.of(Map.of("token", token, "content", content))));
        assertThat(written.outputs()).containsEntry("acme", Map.of("dir", ACME_DIR + "/.well-known/acme-challenge", "state", "present",
                "tokens", List.of(token)));
        for (String host : List.of("tls.test", "www.tls.test")) {
            Http answer = http(host, "/.well-known/acme-challenge/" + token);
            assertThat(answer.status()).as(host).isEqualTo(200);
            assertThat(answer.body()).as(host).isEqualTo(content);
            assertThat(answer.headers().get("content-type")).startsWith("text/plain");
        }
        assertThat(http("www.tls.test", "/page").status()).as("the alias still redirects everything else").isEqualTo(301);
        assertThat(http("tls.test", "/.well-known/acme-challenge/unknown").status()).isEqualTo(404);
        assertThat(http("other.test", "/.well-known/acme-challenge/" + token).status()).as("another site's folder").isEqualTo(404);
        assertThat(exec("stat -c '%a %U' " + ACME_DIR + "/.well-known/acme-challenge " + ACME_DIR + "/.well-known/acme-challenge/" + token))
                .isEqualTo("755 root\n644 root\n");
        PlaybookResult again = ok("site-acme-challenge.yml", acme("present", List.of(Map.of("token", token, "content", content))));
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();

        ok("site-acme-challenge.yml", acme("absent", List.of(Map.of("token", token))));
        assertThat(http("tls.test", "/.well-known/acme-challenge/" + token).status()).isEqualTo(404);

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("token", "../../etc/passwd", "content", "x"),
                Map.of("token", "ok-token", "content", "has space"), Map.of("token", "ok-token\n", "content", "x"))) {
            PlaybookResult refused = run("site-acme-challenge.yml", acme("present", List.of(bad)));
            assertThat(refused.outcome()).as(bad.toString()).isEqualTo(Outcome.FAILED);
            assertThat(refused.failureMessage()).as(bad.toString()).contains("invalid ACME challenge", "^[A-Za-z0-9_-]{1,255}$");
        }
        assertThat(exec("ls -A " + ACME_DIR + "/.well-known/acme-challenge")).isEmpty();
    }

    @Test
    @Order(2)
    void aCertificateIsServedOverHttpsAndHttpRedirects() throws Exception {
        current = ca.leaf("tls.test", "www.tls.test");
        PlaybookResult installed = ok("site-tls.yml", tls("present", current, Map.of()));
        assertThat(installed.outputs()).containsEntry("tls", Map.of("fullchain", TLS_DIR + "/fullchain.pem", "state", "present"));
        assertThat(exec("stat -c '%a %U:%G %n' " + TLS_DIR + " " + TLS_DIR + "/fullchain.pem " + TLS_DIR + "/privkey.pem; ls -A " + TLS_DIR))
                .isEqualTo("700 root:root " + TLS_DIR + "\n644 root:root " + TLS_DIR + "/fullchain.pem\n600 root:root " + TLS_DIR
                        + "/privkey.pem\nfullchain.pem\nprivkey.pem\n");

        Https page = https("tls.test", "/");
        assertThat(page.serial()).isEqualTo(current.certificate().getSerialNumber());
        assertThat(page.http().status()).isEqualTo(200);
        assertThat(page.http().body()).contains("tlsa page");
        assertThat(page.http().headers()).containsEntry("x-frame-options", "SAMEORIGIN").doesNotContainKey("strict-transport-security");
        assertThat(curl("tls.test", "/")).isEqualTo("200");

        Http redirect = http("tls.test", "/some/path?x=1");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers()).containsEntry("location", "https://tls.test/some/path?x=1");
        assertThat(http("www.tls.test", "/a").headers()).containsEntry("location", "https://www.tls.test/a");
        Https alias = https("www.tls.test", "/a?b=1");
        assertThat(alias.serial()).isEqualTo(current.certificate().getSerialNumber());
        assertThat(alias.http().status()).isEqualTo(301);
        assertThat(alias.http().headers()).containsEntry("location", "https://tls.test/a?b=1");

        String token = "renewal-token";
        ok("site-acme-challenge.yml", acme("present", List.of(Map.of("token", token, "content", "renewal-token.abc"))));
        Http challenge = http("tls.test", "/.well-known/acme-challenge/" + token);
        assertThat(challenge.status()).as("not redirected to HTTPS").isEqualTo(200);
        assertThat(challenge.body()).isEqualTo("renewal-token.abc");
        assertThat(http("www.tls.test", "/.well-known/acme-challenge/" + token).body()).isEqualTo("renewal-token.abc");

        assertThat(openssl("-tls1_3", "tls.test")).as("TLS 1.3").contains("TLSv1.3");
        assertThat(openssl("-tls1_2", "tls.test")).as("TLS 1.2").contains("TLSv1.2");
        assertThat(openssl("-tls1_1", "tls.test")).as("TLS 1.1 is refused").doesNotContain("Cipher is ECDHE").contains("exit=1");
        assertThatThrownBy(() -> https("unknown.test", "/")).as("a name no site serves gets no certificate").isInstanceOf(SSLException.class);
        assertThat(http("other.test", "/").body()).contains("tlsb page");
        assertThatThrownBy(() -> https("other.test", "/")).isInstanceOf(SSLException.class);

        PlaybookResult again = ok("site-tls.yml", tls("present", current, Map.of()));
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();
    }

    @Test
    @Order(3)
    void aNewCertificateIsServedAfterAReloadAndAMismatchedKeyChangesNothing() throws Exception {
        String master = exec("cat /run/nginx.pid").strip();
        TestCa.Leaf renewed = ca.leaf("tls.test", "www.tls.test");
        ok("site-tls.yml", tls("present", renewed, Map.of("site_hsts", true, "site_tls_stapling", true)));
        current = renewed;
        Https page = https("tls.test", "/");
        assertThat(page.serial()).isEqualTo(renewed.certificate().getSerialNumber());
        assertThat(page.http().headers()).containsEntry("strict-transport-security", "max-age=31536000");
        assertThat(http("tls.test", "/").headers()).as("no HSTS over plain HTTP").doesNotContainKey("strict-transport-security");
        assertThat(exec("cat /run/nginx.pid").strip()).as("reloaded, not restarted").isEqualTo(master);
        assertThat(exec("cat /etc/nginx/sites-available/vip-site_tlsa.conf")).contains("ssl_stapling on;", "ssl_stapling_verify on;",
                "ssl_trusted_certificate " + TLS_DIR + "/fullchain.pem;", "listen 443 ssl http2;", "ssl_protocols TLSv1.2 TLSv1.3;",
                "ssl_session_cache shared:VipSites:10m;");

        String before = exec("sha256sum " + TLS_DIR + "/* /etc/nginx/sites-available/vip-site_tlsa.conf");
        TestCa.Leaf stranger = ca.leaf("tls.test");
        TestCa.Leaf mismatched = new TestCa.Leaf(ca.leaf("tls.test", "www.tls.test").certificate(), stranger.keys(), ca.intermediate);
        PlaybookResult refused = run("site-tls.yml", tls("present", mismatched, Map.of("site_hsts", true, "site_tls_stapling", true)));
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.failedTask()).isEqualTo("site : Validate the nginx configuration.");
        assertThat(refused.failureMessage()).contains("nginx refused the configuration", "key values mismatch");
        assertThat(exec("sha256sum " + TLS_DIR + "/* /etc/nginx/sites-available/vip-site_tlsa.conf")).isEqualTo(before);
        assertThat(exec("ls -A " + TLS_DIR + " /etc/nginx/sites-available")).doesNotContain("~");
        assertThat(exec("nginx -t -q 2>&1; echo rc=$?")).contains("rc=0");
        assertThat(https("tls.test", "/").serial()).isEqualTo(renewed.certificate().getSerialNumber());
        assertThat(http("other.test", "/").body()).contains("tlsb page");
        assertThat(exec("cat /run/nginx.pid").strip()).isEqualTo(master);

        PlaybookResult garbage = run("site-tls.yml", with(tls("present", renewed, Map.of()), Map.of("tls_private_key", "not a key")));
        assertThat(garbage.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(garbage.failureMessage()).contains("tls_private_key the", "PEM private key");
        assertThat(https("tls.test", "/").serial()).isEqualTo(renewed.certificate().getSerialNumber());
    }

    @Test
    @Order(4)
    void siteYmlKeepsHttpsAndNeedsTheCertificate() throws Exception {
        PlaybookResult kept = ok("site.yml", present(with(SITE, Map.of("site_tls", true, "site_hsts", true, "site_tls_stapling", true))));
        assertThat(kept.recap().changed()).as("site.yml renders what site-tls.yml rendered: " + changedTasks(kept)).isZero();
        assertThat(https("tls.test", "/").serial()).isEqualTo(current.certificate().getSerialNumber());
        assertThat(http("tls.test", "/").status()).isEqualTo(301);

        PlaybookResult suspended = ok("site.yml", with(present(with(SITE, Map.of("site_tls", true))), Map.of("site_state", "suspended")));
        assertThat(suspended.outputs()).containsEntry("vhost", "/etc/nginx/sites-available/vip-site_tlsa.conf");
        Https page = https("tls.test", "/");
        assertThat(page.http().status()).isEqualTo(503);
        assertThat(page.http().body()).contains("This site is suspended");
        assertThat(http("tls.test", "/.well-known/acme-challenge/renewal-token").body()).isEqualTo("renewal-token.abc");
        // a renewal while suspended keeps the site suspended
        ok("site-tls.yml", tls("present", current, Map.of()));
        assertThat(https("www.tls.test", "/").http().status()).isEqualTo(503);
        ok("site.yml", present(with(SITE, Map.of("site_tls", true))));
        assertThat(https("tls.test", "/").http().body()).contains("tlsa page");

        PlaybookResult noCertificate = run("site.yml", present(with(OTHER, Map.of("site_tls", true))));
        assertThat(noCertificate.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(noCertificate.failureMessage()).contains("site_tls needs the site's certificate", "site-tls.yml");
        assertThat(http("other.test", "/").body()).contains("tlsb page");
    }

    @Test
    @Order(5)
    void absentServesPlainHttpAgainAndRemovingTheSiteRemovesItsFiles() throws Exception {
        PlaybookResult removed = ok("site-tls.yml", tls("absent", null, Map.of("site_tls", true)));
        assertThat(removed.outputs()).containsEntry("tls", Map.of("fullchain", TLS_DIR + "/fullchain.pem", "state", "absent"));
        Http page = http("tls.test", "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("tlsa page");
        assertThat(http("www.tls.test", "/x").headers()).containsEntry("location", "http://tls.test/x");
        assertThat(http("tls.test", "/.well-known/acme-challenge/renewal-token").body()).isEqualTo("renewal-token.abc");
        assertThat(exec("test -e " + TLS_DIR + " && echo still-there || echo gone")).isEqualTo("gone\n");
        assertThatThrownBy(() -> https("tls.test", "/")).isInstanceOf(SSLException.class);
        PlaybookResult again = ok("site-tls.yml", tls("absent", null, Map.of()));
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();
        PlaybookResult plain = ok("site.yml", present(SITE));
        assertThat(plain.recap().changed()).as("site.yml renders what site-tls.yml rendered: " + changedTasks(plain)).isZero();

        ok("site-tls.yml", tls("present", current, Map.of()));
        ok("site.yml", with(present(with(SITE, Map.of("site_tls", true))), Map.of("site_state", "absent")));
        assertThat(exec("ls -A /etc/ssl/vip-sites /var/lib/vip-acme")).doesNotContain("site_tlsa");
        assertThat(http("other.test", "/").body()).contains("tlsb page");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Map<String, Object> site(String id, String user, String domain, List<String> aliases) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("site_id", id);
        vars.put("site_user", user);
        vars.put("site_type", "static");
        vars.put("site_domain", domain);
        vars.put("site_aliases", aliases);
        vars.put("site_redirect_aliases", !aliases.isEmpty());
        vars.put("site_web_root", "");
        vars.put("site_php_version", "");
        vars.put("site_app_port", 0);
        vars.put("site_keep_releases", 5);
        vars.put("site_waf", "off");
        vars.put("site_nginx_custom", "");
        vars.put("site_tls", false);
        vars.put("site_hsts", false);
        vars.put("site_tls_stapling", false);
        return vars;
    }

    private static Map<String, Object> with(Map<String, Object> vars, Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(vars);
        all.putAll(more);
        return all;
    }

    private static Map<String, Object> present(Map<String, Object> site) {
        return with(Map.of("site_state", "present", "site_deploy_key", "", "site_deploy_public_key", "", "site_databases", List.of()), site);
    }

    private static Map<String, Object> acme(String state, List<Map<String, Object>> challenges) {
        return with(SITE, Map.of("acme_state", state, "acme_challenges", challenges));
    }

    private static Map<String, Object> tls(String state, TestCa.@Nullable Leaf leaf, Map<String, Object> more) {
        Map<String, Object> vars = with(SITE, Map.of("tls_state", state));
        if (leaf != null) {
            vars.put("tls_fullchain", TestCa.pem(leaf.certificate(), leaf.issuer().certificate()));
            vars.put("tls_private_key", TestCa.pkcs8(leaf.keys()));
        }
        return with(vars, more);
    }

    private static PlaybookResult ok(String playbook, Map<String, Object> vars) {
        RunWatcher watcher = new RunWatcher(Path.of("automation"), playbook);
        PlaybookResult result = run(playbook, vars, watcher);
        assertThat(result.outcome()).as(diagnose(result, watcher)).isEqualTo(Outcome.SUCCEEDED);
        return result;
    }

    private static PlaybookResult run(String playbook, Map<String, Object> vars) {
        return run(playbook, vars, new RunWatcher(Path.of("automation"), playbook));
    }

    private static PlaybookResult run(String playbook, Map<String, Object> vars, RunWatcher watcher) {
        Set<String> secrets = vars.containsKey("tls_private_key") ? Set.of("tls_private_key") : Set.of();
        long start = System.nanoTime();
        PlaybookResult result = runner.run(new PlaybookRun(playbook, login(ADMIN), panelKey.privateKey(), new HashMap<>(vars), secrets,
                Duration.ofMinutes(4)), watcher);
        String step = playbook + " " + vars.getOrDefault("site_state", vars.getOrDefault("tls_state", vars.getOrDefault("acme_state", "")));
        time(step, start);
        System.out.printf("[run] %-45s %-9s changed=%-3d %6d ms%n", step, result.outcome(), result.recap().changed(),
                (System.nanoTime() - start) / 1_000_000);
        if (vars.get("tls_private_key") instanceof String key && !key.isEmpty()) {
            assertThat(watcher.text()).as("the private key never shows in the output").doesNotContain(key.lines().skip(1).findFirst().orElse(key));
        }
        return result;
    }

    private record Http(int status, Map<String, String> headers, String body) {
    }

    private record Https(Http http, BigInteger serial) {
    }

    /** One HTTP/1.0 request to the host's nginx on port 80 with the given Host header (the names resolve nowhere). */
    private static Http http(String host, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 3000);
            socket.setSoTimeout(15_000);
            return exchange(socket, host, path);
        }
    }

    /** The same over TLS on port 443 with SNI, trusting the test CA only and checking the certificate's names. */
    private static Https https(String host, String path) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.root.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(server.address(), 443), 3000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, 443, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Https(exchange(socket, host, path), leaf.getSerialNumber());
        } finally {
            plain.close();
        }
    }

    private static Http exchange(Socket socket, String host, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: vip-tls-test\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP answer: " + raw);
        }
        List<String> head = raw.substring(0, end).lines().toList();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new Http(Integer.parseInt(head.getFirst().split(" ")[1]), headers,
                new String(raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    /** curl on this machine, the name resolved to the test host, the test CA as the only one trusted: the status code. */
    private static String curl(String host, String path) throws Exception {
        return local(List.of("curl", "-sS", "--max-time", "10", "--cacert", tmp.resolve("ca.pem").toString(), "--resolve",
                host + ":443:" + server.address(), "-o", "/dev/null", "-w", "%{http_code}", "https://" + host + path)).strip();
    }

    /** openssl s_client with one TLS version (security level 0, so that the client itself offers old versions). */
    private static String openssl(String version, String host) throws Exception {
        return local(List.of("sh", "-c", "openssl s_client \"$1\" -cipher 'DEFAULT:@SECLEVEL=0' -connect \"$2\":443 -servername \"$3\""
                + " -CAfile \"$4\" < /dev/null 2>&1; echo exit=$?", "sh", version, server.address(), host, tmp.resolve("ca.pem").toString()));
    }

    private static String local(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String exec(String command) {
        return server.exec(command).output();
    }

    private static void must(String command) {
        TestManagedServer.ExecResult result = server.exec(command);
        assertThat(result.succeeded()).as(command + "\n" + result.output()).isTrue();
    }

    private static ManagedHost login(String user) {
        return new ManagedHost(server.address(), server.port(), user, server.hostKeyLine() + "\n");
    }

    private static String changedTasks(PlaybookResult result) {
        return "changed: " + result.tasks().stream().filter(task -> task.status().equals("changed")).map(TaskResult::name)
                .collect(Collectors.joining(", "));
    }

    private static String diagnose(PlaybookResult result, RunWatcher watcher) {
        return "failed task: " + result.failedTask() + "\n" + result.failureMessage() + "\n" + changedTasks(result)
                + "\n--- output ---\n" + watcher.text() + "\n--- test host ---\n" + server.log();
    }

    private static void time(String step, long startNanos) {
        TIMINGS.merge(step, (System.nanoTime() - startNanos) / 1_000_000, Long::sum);
    }

    /** A throw-away CA for these tests: a root, an intermediate, and leaves (EC P-256) for site names. */
    static final class TestCa {

        record Leaf(X509Certificate certificate, KeyPair keys, Issued issuer) {
        }

        record Issued(X509Certificate certificate, KeyPair keys) {
        }

        private static final SecureRandom RANDOM = new SecureRandom();
        final Issued root;
        final Issued intermediate;

        TestCa(String name) {
            Instant now = Instant.now();
            root = issue(null, "CN=" + name + " Root", ec(), true, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)));
            intermediate = issue(root, "CN=" + name + " Intermediate", ec(), true, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(1825)));
        }

        Leaf leaf(String... names) {
            Instant now = Instant.now();
            Issued issued = issue(intermediate, "CN=" + names[0], ec(), false, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)),
                    names);
            return new Leaf(issued.certificate(), issued.keys(), intermediate);
        }

        private static Issued issue(@Nullable Issued issuer, String subject, KeyPair keys, boolean ca, Instant notBefore, Instant notAfter,
                                    String... names) {
            try {
                X500Principal subjectName = new X500Principal(subject);
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        issuer == null ? subjectName : issuer.certificate().getSubjectX500Principal(), new BigInteger(63, RANDOM).add(BigInteger.ONE),
                        Date.from(notBefore), Date.from(notAfter), subjectName, keys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                        : KeyUsage.digitalSignature));
                if (names.length > 0) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(names)
                            .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
                }
                return new Issued(new JcaX509CertificateConverter().getCertificate(builder.build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(issuer == null ? keys.getPrivate() : issuer.keys().getPrivate()))),
                        keys);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static KeyPair ec() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static String pem(Issued issued) {
            return pem(issued.certificate());
        }

        static String pem(X509Certificate... certificates) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                for (X509Certificate certificate : certificates) {
                    writer.writeObject(certificate);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toString();
        }

        static String pkcs8(KeyPair keys) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toString();
        }
    }
}
