package io.vippanel.ssl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vippanel.jobs.RecurringWork;
import io.vippanel.platform.Ids;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.sites.SitePlaybooks;
import io.vippanel.sites.SitePlaybooks.SiteHost;
import io.vippanel.sites.SiteServiceFixtures;
import io.vippanel.sites.SiteType;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateSource;
import io.vippanel.ssl.CertificateStatus;
import io.vippanel.ssl.Challenge;
import io.vippanel.ssl.internal.cert.CertificateSummary;
import io.vippanel.ssl.internal.cert.DeployedChain;
import io.vippanel.ssl.internal.cert.ServedCertificateProbe;
import io.vippanel.ssl.internal.cert.TestPki;
import io.vippanel.ssl.internal.cert.TrustAnchors;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestDatabase;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SSL module's bookkeeping without a CA or a test host: which certificates the renewal sweep renews (and that it
 * renews each once), the backoff and renewal times, the alerts and their mails, who sees an alerting certificate, and
 * the served-certificate check's verdicts against a TLS server of the test's own.
 *
 * <p>The context has its own database, so the sweep sees only this class's certificates, and the api role, so no
 * worker runs the jobs it queues: they stay queued for the test to look at.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateRenewalTests {

    static final String DATABASE = TestDatabase.create("renewal");
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("vip.database.url", () -> DATABASE);
        registry.add("vip.role", () -> "api");
        registry.add("vip.mail.host", () -> "127.0.0.1");
        registry.add("vip.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("vip.mail.from", () -> "panel@example.test");
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Fixture fixture;
    SystemTransactions system;
    JdbcClient jdbc;
    ServerFixtures servers;
    SiteServiceFixtures siteServices;
    Server clientServer;
    Server otherServer;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
        system = context.getBean(SystemTransactions.class);
        jdbc = JdbcClient.create(context.getBean(DataSource.class));
        servers = new ServerFixtures(context);
        siteServices = new SiteServiceFixtures(context);
        String tag = Ids.randomToken(6).toLowerCase(java.util.Locale.ROOT);
        clientServer = servers.readyServer(fixture.client1User, "renewal-" + tag, "198.51.100.40");
        otherServer = servers.readyServer(fixture.client2User, "renewal-other-" + tag, "198.51.100.41");
    }

    @AfterAll
    void stopMail() {
        SMTP.stop();
    }

    // --- 1. The renewal sweep ---------------------------------------------------------------------------------------

    @Test
    void theSweepRenewsEachDueAcmeCertificateOnceAndLeavesTheOthers() {
        Instant now = Instant.now();
        String due = certificate(clientServer, "acme", "valid", true, now.minus(Duration.ofHours(1)), null, 0);
        String retryDue = certificate(clientServer, "acme", "failed", true, now.minus(Duration.ofDays(1)),
                now.minus(Duration.ofMinutes(5)), 2);
        String waiting = certificate(clientServer, "acme", "failed", true, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofHours(1)), 1);
        String custom = certificate(clientServer, "custom", "valid", true, now.minus(Duration.ofDays(1)), null, 0);
        String notDue = certificate(clientServer, "acme", "valid", true, now.plus(Duration.ofDays(10)), null, 0);
        String neverDeployed = certificate(clientServer, "acme", "failed", false, now.minus(Duration.ofDays(1)), null, 0);
        RecurringWork sweep = recurring("ssl.renewal-sweep");

        sweep.run();

        for (String renewed : List.of(due, retryDue)) {
            List<Map<String, Object>> jobs = jobsOf(renewed);
            assertThat(jobs).as("jobs of %s", renewed).hasSize(1);
            Map<String, Object> job = jobs.getFirst();
            assertThat(job.get("type")).isEqualTo(CertificateJobTypes.ISSUE);
            assertThat(job.get("status")).as("no worker runs here").isEqualTo("queued");
            assertThat(job.get("target_type")).isEqualTo("certificate");
            assertThat(job.get("tenant_id")).isEqualTo(fixture.client1.id());
            assertThat(job.get("renewal_params")).as("params %s", job.get("params")).isEqualTo(true);
            Map<String, Object> row = row(renewed);
            assertThat(row.get("status")).isEqualTo("pending");
            assertThat(row.get("status_note")).isEqualTo("Renewal due");
            assertThat(row.get("last_job_id")).isEqualTo(job.get("id"));
        }
        for (String untouched : List.of(waiting, custom, notDue, neverDeployed)) {
            assertThat(jobsOf(untouched)).as("jobs of %s", untouched).isEmpty();
            assertThat(row(untouched).get("last_job_id")).isNull();
        }
        assertThat(row(waiting).get("status")).isEqualTo("failed");
        assertThat(row(custom).get("status")).isEqualTo("valid");

        sweep.run();

        assertThat(jobsOf(due)).as("the renewal already queued is not queued again").hasSize(1);
        assertThat(jobsOf(retryDue)).hasSize(1);
        for (String untouched : List.of(waiting, custom, notDue, neverDeployed)) {
            assertThat(jobsOf(untouched)).isEmpty();
        }

        // A renewal cancelled before it ran leaves its certificate pending: the sweep fails it and backs off.
        update("UPDATE jobs SET status = 'cancelled' WHERE id = ?", String.valueOf(row(due).get("last_job_id")));
        sweep.run();
        Map<String, Object> settled = row(due);
        assertThat(settled.get("status")).isEqualTo("failed");
        assertThat(String.valueOf(settled.get("status_note"))).contains("cancelled");
        assertThat(settled.get("renewal_failures")).isEqualTo(1);
        assertThat(settled.get("next_attempt_at")).isNotNull();
        assertThat(jobsOf(due)).as("no new renewal before the backoff").hasSize(1);
        assertThat(row(retryDue).get("status")).as("its renewal is still queued").isEqualTo("pending");
    }

    // --- 2. Backoff and renewal time --------------------------------------------------------------------------------

    @Test
    void aFailedRenewalWaitsAnHourDoublingUpToADay() {
        assertThat(CertificateWork.backoff(0)).isEqualTo(Duration.ofHours(1));
        assertThat(CertificateWork.backoff(1)).isEqualTo(Duration.ofHours(1));
        assertThat(CertificateWork.backoff(2)).isEqualTo(Duration.ofHours(2));
        assertThat(CertificateWork.backoff(3)).isEqualTo(Duration.ofHours(4));
        assertThat(CertificateWork.backoff(4)).isEqualTo(Duration.ofHours(8));
        assertThat(CertificateWork.backoff(5)).isEqualTo(Duration.ofHours(16));
        assertThat(CertificateWork.backoff(6)).isEqualTo(Duration.ofHours(24));
        assertThat(CertificateWork.backoff(7)).isEqualTo(Duration.ofHours(24));
        assertThat(CertificateWork.backoff(100)).isEqualTo(Duration.ofHours(24));
        assertThat(CertificateWork.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void renewalTimeIsThirtyDaysAheadOrAThirdOfAShortLifetime() {
        CertificateWork work = context.getBean(CertificateWork.class);
        Instant issued = Instant.parse("2026-03-01T00:00:00Z");

        assertThat(work.renewalTime(issued, issued.plus(Duration.ofDays(90)))).isEqualTo(issued.plus(Duration.ofDays(60)));
        assertThat(work.renewalTime(issued, issued.plus(Duration.ofDays(6)))).isEqualTo(issued.plus(Duration.ofDays(4)));
        // A year-long (custom-length) certificate still renews 30 days ahead, not a third of its life ahead.
        assertThat(work.renewalTime(issued, issued.plus(Duration.ofDays(365)))).isEqualTo(issued.plus(Duration.ofDays(335)));
    }

    // --- 3. Alerts ---------------------------------------------------------------------------------------------------

    @Test
    void anAlertIsMailedOncePerProblemToTheActiveUsersOfTheSitesTenant() throws Exception {
        CertificateWork work = context.getBean(CertificateWork.class);
        CertificateAlerts alerts = context.getBean(CertificateAlerts.class);
        String id = certificate(clientServer, "acme", "valid", true, Instant.now().plus(Duration.ofDays(30)), null, 0);
        Certificate certificate = work.reload(id).view();
        String subject = "Certificate of " + certificate.domain() + " needs attention";
        List<String> tenantUsers = List.of(fixture.client1User.email(), fixture.client1Other.email());

        alerts.raise(certificate, "Port 443 of " + certificate.domain() + ": it serves another certificate.");

        Certificate alerting = work.reload(id).view();
        assertThat(alerting.alert()).isEqualTo("Port 443 of " + certificate.domain() + ": it serves another certificate.");
        assertThat(alerting.alertSince()).isNotNull();
        List<MimeMessage> first = mailsWithSubject(subject, 2);
        assertThat(first).extracting(CertificateRenewalTests::recipients).containsExactlyInAnyOrderElementsOf(tenantUsers);
        assertThat(GreenMailUtil.getBody(first.getFirst())).contains("it serves another certificate", "/ssl/sites/" + certificate.siteId());

        alerts.raise(alerting, "Port 443 of " + certificate.domain() + ": it serves another certificate.");

        Thread.sleep(300);
        assertThat(mailsWithSubject(subject, 0)).as("the same problem is not mailed again").hasSize(2);
        assertThat(work.reload(id).view().alertSince()).isEqualTo(alerting.alertSince());

        alerts.raise(work.reload(id).view(), "Renewing the certificate failed: the CA is down.");

        List<MimeMessage> second = mailsWithSubject(subject, 4);
        assertThat(second).hasSize(4);
        // GreenMail lists the messages mailbox by mailbox, so the new ones are told apart by their text.
        assertThat(second).filteredOn(message -> GreenMailUtil.getBody(message).contains("the CA is down"))
                .extracting(CertificateRenewalTests::recipients).containsExactlyInAnyOrderElementsOf(tenantUsers);
        Certificate changed = work.reload(id).view();
        assertThat(changed.alert()).isEqualTo("Renewing the certificate failed: the CA is down.");
        assertThat(changed.alertSince()).as("the alert stands since its first problem").isEqualTo(alerting.alertSince());

        alerts.resolve(changed);

        Certificate resolved = work.reload(id).view();
        assertThat(resolved.alert()).isNull();
        assertThat(resolved.alertSince()).isNull();
        assertThat(mailsWithSubject(subject, 0)).as("resolving mails nobody").hasSize(4);
    }

    // --- 4. Who sees an alerting certificate -------------------------------------------------------------------------

    @Test
    void onlyTheSitesTenantSeesItsAlertingCertificate() {
        String id = certificate(clientServer, "acme", "valid", true, Instant.now().plus(Duration.ofDays(30)), null, 0);
        String alert = "Port 443 of the site: nothing could be seen, the connection was refused.";
        update("UPDATE certificates SET alert = ?, alert_since = now() WHERE id = ?", alert, id);
        String domain = String.valueOf(row(id).get("site_domain"));

        HttpResponse<String> own = browser(fixture.client1User).get("/ssl/attention");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains(domain, alert);

        HttpResponse<String> other = browser(fixture.client2User).get("/ssl/attention");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).doesNotContain(domain).doesNotContain(alert);

        HttpResponse<String> ownApi = PanelClient.api(port, fixture.tokenOf(fixture.client1User)).get("/api/v1/certificates?limit=200");
        assertThat(ownApi.statusCode()).isEqualTo(200);
        assertThat(ownApi.body()).contains(id, domain);
        HttpResponse<String> otherApi = PanelClient.api(port, fixture.tokenOf(fixture.client2User)).get("/api/v1/certificates?limit=200");
        assertThat(otherApi.statusCode()).isEqualTo(200);
        assertThat(otherApi.body()).doesNotContain(id).doesNotContain(domain);
        assertThat(PanelClient.api(port, fixture.tokenOf(fixture.client2User)).get("/api/v1/certificates/" + id).statusCode())
                .isEqualTo(404);
    }

    // --- 5. The served check's verdicts ------------------------------------------------------------------------------

    @Test
    void theServedCheckJudgesWhatPort443Serves() throws Exception {
        TestPki pki = new TestPki("Renewal");
        TestPki.Issued deployed = pki.leaf("match.example.test");
        TestPki.Issued stranger = pki.leaf("other.example.test");
        TestPki.Issued otherDeployed = pki.leaf("other.example.test");
        TestPki.Issued expiring = pki.leaf(TestPki.ec(), TestPki.NOW.minus(Duration.ofDays(85)), TestPki.NOW.plus(Duration.ofDays(5)),
                "expiring.example.test");
        // Port 443 is what the check asks, so the server listens there, on a loopback address of its own.
        InetAddress listening = InetAddress.getByName("127.0.44.3");
        InetAddress silent = InetAddress.getByName("127.0.44.4");
        Map<String, TestPki.Issued> served = Map.of("match.example.test", deployed, "other.example.test", stranger,
                "expiring.example.test", expiring);
        SSLServerSocket socket;
        try {
            socket = tlsServer(pki, served, listening);
        } catch (BindException e) {
            Assumptions.abort("port 443 of " + listening + " cannot be bound here (not root, or taken): " + e.getMessage());
            return;
        }
        try (socket) {
            Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
            CertificateWork work = new CertificateWork(context.getBean(CertificateRepository.class), system,
                    context.getBean(SitePlaybooks.class), context.getBean(SecretBox.class), context.getBean(CertificateAlerts.class),
                    new ServedCertificateProbe(TrustAnchors.of(pki.root.certificate()), Duration.ofSeconds(5), clock),
                    context.getBean(VipProperties.class), clock);

            Certificate.Served match = work.checkServed(deployedAs("match.example.test", deployed), site("match.example.test", listening));
            assertThat(match.problem()).isNull();
            assertThat(match.matchesIssued()).isTrue();
            assertThat(match.trusted()).isTrue();
            assertThat(match.address()).isEqualTo("127.0.44.3");
            assertThat(match.serial()).isEqualTo(summary(deployed).serialHex());
            assertThat(match.fingerprint()).isEqualTo(summary(deployed).sha256Fingerprint());
            assertThat(match.checkedAt()).isEqualTo(TestPki.NOW);

            Certificate.Served another = work.checkServed(deployedAs("other.example.test", otherDeployed),
                    site("other.example.test", listening));
            assertThat(another.matchesIssued()).isFalse();
            assertThat(another.problem()).isEqualTo("it serves another certificate (serial " + summary(stranger).serialHex()
                    + ", issued by CN=Renewal Intermediate CA) than the one the panel deployed (serial " + summary(otherDeployed).serialHex() + ")");
            assertThat(another.serial()).isEqualTo(summary(stranger).serialHex());
            assertThat(another.fingerprint()).isEqualTo(summary(stranger).sha256Fingerprint());

            Certificate.Served soon = work.checkServed(deployedAs("expiring.example.test", expiring),
                    site("expiring.example.test", listening));
            assertThat(soon.matchesIssued()).isTrue();
            assertThat(soon.problem()).isEqualTo("the certificate it serves expires 2026-06-06 12:00 UTC");

            Certificate.Served nothing = work.checkServed(deployedAs("match.example.test", deployed), site("match.example.test", silent));
            assertThat(nothing.matchesIssued()).isFalse();
            assertThat(nothing.serial()).isNull();
            assertThat(nothing.address()).isEqualTo("127.0.44.4");
            assertThat(nothing.problem()).isEqualTo("nothing could be seen: The connection to 127.0.44.4:443 was refused: nothing "
                    + "accepts HTTPS connections there.");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** A certificate of a new ready site on the server, written as an issuance (or an upload) leaves it. */
    private String certificate(Server server, String source, String status, boolean deployed, Instant renewAfter,
                               @Nullable Instant nextAttempt, int failures) {
        String site = siteServices.site(server, SiteType.STATIC);
        String id = Ids.newId("crt");
        update("""
                INSERT INTO certificates (id, tenant_id, site_id, source, challenge, names, status, serial, fingerprint, issuer,
                                          not_before, not_after, deployed_at, renew_after, renewal_failures, next_attempt_at,
                                          created_at, updated_at)
                SELECT ?, tenant_id, id, ?, 'automatic', jsonb_build_array(domain), ?, '0A1B', 'AA:BB', 'CN=Renewal CA',
                       now() - interval '60 days', now() + interval '30 days',
                       CASE WHEN CAST(? AS boolean) THEN now() - interval '60 days' END, CAST(? AS timestamptz), CAST(? AS int),
                       CAST(? AS timestamptz), now(), now() FROM sites WHERE id = ?""",
                id, source, status, deployed, Timestamp.from(renewAfter), failures, nextAttempt == null ? null : Timestamp.from(nextAttempt),
                site);
        return id;
    }

    private Map<String, Object> row(String id) {
        return query("SELECT c.*, s.domain AS site_domain FROM certificates c JOIN sites s ON s.id = c.site_id WHERE c.id = ?", id)
                .getFirst();
    }

    private List<Map<String, Object>> jobsOf(String certificateId) {
        return query("""
                SELECT id, type, status, target_type, tenant_id, params::text AS params,
                       params = CAST('{"renewal": true}' AS jsonb) AS renewal_params
                  FROM jobs WHERE target_id = ? ORDER BY queued_at""", certificateId);
    }

    private RecurringWork recurring(String name) {
        return context.getBeansOfType(RecurringWork.class).values().stream().filter(work -> work.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no recurring work named " + name));
    }

    private PanelClient browser(Actor actor) {
        return PanelClient.browser(port).login(actor.email(), Fixture.PASSWORD);
    }

    /** The mails with this subject once at least {@code atLeast} arrived (or 5 s passed), oldest first. */
    private static List<MimeMessage> mailsWithSubject(String subject, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<MimeMessage> found = Arrays.stream(SMTP.getReceivedMessages()).filter(message -> subject.equals(subjectOf(message))).toList();
            if (found.size() >= atLeast || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipients(MimeMessage message) {
        try {
            return GreenMailUtil.getAddressList(message.getAllRecipients());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificateSummary summary(TestPki.Issued issued) {
        return DeployedChain.leaf(TestPki.pem(issued.certificate()));
    }

    /** The certificate as the panel stored it after deploying {@code issued}. */
    private static Certificate deployedAs(String domain, TestPki.Issued issued) {
        CertificateSummary leaf = summary(issued);
        Instant now = TestPki.NOW;
        return new Certificate("crt_served", "ten_served", "site_served", domain, CertificateSource.ACME, Challenge.AUTOMATIC,
                List.of(domain), false, CertificateStatus.VALID, null, leaf.serialHex(), leaf.sha256Fingerprint(), leaf.issuer(),
                leaf.dnsNames(), leaf.notBefore(), leaf.notAfter(), false, now, null, 0, null, null, null, null, Map.of(), null, now, now);
    }

    /** A site whose domain does not resolve, so the check connects to its server's address with the domain in SNI. */
    private static SiteHost site(String domain, InetAddress server) {
        return new SiteHost("site_served", "ten_served", "/", "srv_served", domain, List.of(), List.of(server.getHostAddress()));
    }

    /** A TLS server on port 443 of {@code address} that serves each name's leaf (with the intermediate) by SNI. */
    private static SSLServerSocket tlsServer(TestPki pki, Map<String, TestPki.Issued> leaves, InetAddress address) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[] {new SniKeyManager(pki, leaves)}, null, null);
        SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(ServedCertificateProbe.HTTPS_PORT, 50,
                address);
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    SSLSocket client = (SSLSocket) socket.accept();
                    Thread.ofVirtual().start(() -> {
                        try (client) {
                            client.setSoTimeout(5_000);
                            client.startHandshake();
                        } catch (IOException ignored) {
                            // The probe closes right after the handshake.
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return socket;
    }

    private static final class SniKeyManager extends X509ExtendedKeyManager {

        private final TestPki pki;
        private final Map<String, TestPki.Issued> leaves;

        SniKeyManager(TestPki pki, Map<String, TestPki.Issued> leaves) {
            this.pki = pki;
            this.leaves = leaves;
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            if (!(socket instanceof SSLSocket tls) || !(tls.getHandshakeSession() instanceof ExtendedSSLSession session)) {
                return null;
            }
            return session.getRequestedServerNames().stream().map(SNIServerName::getEncoded).map(String::new)
                    .filter(name -> leaves.containsKey(name) && leaves.get(name).keys().getPrivate().getAlgorithm().equals(keyType))
                    .findFirst().orElse(null);
        }

        @Override
        public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {Objects.requireNonNull(leaves.get(alias)).certificate(), pki.intermediate.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return Objects.requireNonNull(leaves.get(alias)).keys().getPrivate();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return leaves.keySet().toArray(String[]::new);
        }

        @Override
        public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
            return null;
        }

        @Override
        public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            return null;
        }
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        return system.call(() -> jdbc.sql(sql).params(params).query().listOfRows());
    }

    private void update(String sql, Object... params) {
        system.run(() -> jdbc.sql(sql).params(params).update());
    }
}
