package io.vippanel.ssl.internal.cert;

import static io.vippanel.ssl.internal.cert.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServedCertificateProbeTests {

    private static final TestPki PKI = new TestPki("Served");
    private static final TestPki.Issued SHOP = PKI.leaf("shop.example.com");
    private static final TestPki.Issued BLOG = PKI.leaf(TestPki.ec(), NOW.minus(Duration.ofDays(80)), NOW.plus(Duration.ofDays(5)),
            "blog.example.com");
    private static final TestPki.Issued SELF = TestPki.selfSigned("self.example.com");

    private static SniServer server;

    private final ServedCertificateProbe probe = new ServedCertificateProbe(TrustAnchors.of(PKI.root.certificate()),
            Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void startServer() throws Exception {
        server = new SniServer(Map.of(
                "shop.example.com", new X509Certificate[] {SHOP.certificate(), PKI.intermediate.certificate()},
                "blog.example.com", new X509Certificate[] {BLOG.certificate(), PKI.intermediate.certificate()},
                "self.example.com", new X509Certificate[] {SELF.certificate()},
                "misnamed.example.com", new X509Certificate[] {SHOP.certificate(), PKI.intermediate.certificate()}),
                Map.of("shop.example.com", SHOP.keys().getPrivate(), "blog.example.com", BLOG.keys().getPrivate(),
                        "self.example.com", SELF.keys().getPrivate(), "misnamed.example.com", SHOP.keys().getPrivate()));
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Test
    void eachSniNameGetsItsOwnCertificate() {
        ServedCertificate.Presented shop = presented("shop.example.com");
        ServedCertificate.Presented blog = presented("blog.example.com");

        assertThat(shop.certificate()).isEqualTo(CertificateSummary.of(SHOP.certificate()));
        assertThat(shop.certificate().subject()).isEqualTo("CN=shop.example.com");
        assertThat(shop.certificate().issuer()).isEqualTo("CN=Served Intermediate CA");
        assertThat(shop.certificate().dnsNames()).containsExactly("shop.example.com");
        assertThat(shop.chainLength()).isEqualTo(2);
        assertThat(shop.trusted()).isTrue();
        assertThat(shop.trustProblem()).isNull();
        assertThat(shop.coversHostName()).isTrue();
        assertThat(blog.certificate()).isEqualTo(CertificateSummary.of(BLOG.certificate()));
        assertThat(blog.trusted()).isTrue();
    }

    @Test
    void anUntrustedCertificateIsReportedNotThrown() {
        ServedCertificate.Presented self = presented("self.example.com");

        assertThat(self.certificate().subject()).isEqualTo("CN=self.example.com");
        assertThat(self.trusted()).isFalse();
        assertThat(self.trustProblem()).isEqualTo("The chain ends at the root [CN=self.example.com], which browsers do not "
                + "trust; the certificate must be issued by a public certificate authority.");
        assertThat(self.coversHostName()).isTrue();
    }

    @Test
    void theJdkTrustStoreDoesNotTrustTheTestPki() {
        ServedCertificateProbe withJdkRoots = new ServedCertificateProbe(TrustAnchors.jdkDefault(), Duration.ofSeconds(5),
                Clock.fixed(NOW, ZoneOffset.UTC));

        ServedCertificate served = withJdkRoots.probe("shop.example.com", "127.0.0.1", server.port());

        assertThat(served).isInstanceOfSatisfying(ServedCertificate.Presented.class, presented -> assertThat(presented.trustProblem())
                .contains("the issuer [CN=Served Root CA] is missing"));
    }

    @Test
    void aCertificateForOtherNamesIsReportedAsNotCovering() {
        ServedCertificate.Presented misnamed = presented("misnamed.example.com");

        assertThat(misnamed.hostName()).isEqualTo("misnamed.example.com");
        assertThat(misnamed.certificate().dnsNames()).containsExactly("shop.example.com");
        assertThat(misnamed.trusted()).isTrue();
        assertThat(misnamed.coversHostName()).isFalse();
    }

    @Test
    void aNameTheServerDoesNotKnowGivesTheSniReason() {
        ServedCertificate served = probe.probe("unknown.example.com", "127.0.0.1", server.port());

        assertThat(served).isEqualTo(new ServedCertificate.Unavailable("unknown.example.com", "The server at 127.0.0.1:"
                + server.port() + " has no certificate for unknown.example.com: it refused the name sent in SNI."));
    }

    @Test
    void aClosedPortGivesAReadableReason() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        assertThat(probe.probe("shop.example.com", "127.0.0.1", closed)).isEqualTo(new ServedCertificate.Unavailable(
                "shop.example.com", "The connection to 127.0.0.1:" + closed + " was refused: nothing accepts HTTPS connections there."));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        ServedCertificateProbe impatient = new ServedCertificateProbe(TrustAnchors.of(PKI.root.certificate()),
                Duration.ofMillis(300), Clock.fixed(NOW, ZoneOffset.UTC));
        // The kernel completes the TCP handshake for the backlog; nobody ever reads or writes.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(impatient.probe("shop.example.com", "127.0.0.1", silent.getLocalPort())).isEqualTo(
                    new ServedCertificate.Unavailable("shop.example.com", "No answer from 127.0.0.1:" + silent.getLocalPort()
                            + " within 300 ms; a firewall may drop the connection, or the server is down."));
        }
    }

    @Test
    void aServerThatSpeaksNoTlsGivesTheHandshakeFailure() throws IOException {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = plain.accept()) {
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // The probe has gone; nothing to answer.
                }
            });

            ServedCertificate served = probe.probe("shop.example.com", "127.0.0.1", plain.getLocalPort());

            assertThat(served).isInstanceOfSatisfying(ServedCertificate.Unavailable.class, unavailable -> assertThat(
                    unavailable.reason()).startsWith("The TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed: "));
        }
    }

    @Test
    void theServedCertificateMatchesTheIssuedOneByFingerprintAndSerial() {
        ServedCertificate.Presented shop = presented("shop.example.com");
        CertificateSummary issued = CertificateSummary.of(SHOP.certificate());
        CertificateSummary other = CertificateSummary.of(BLOG.certificate());

        assertThat(shop.serves(issued.sha256Fingerprint(), issued.serialHex())).isTrue();
        assertThat(shop.serves(issued.sha256Fingerprint().replace(":", "").toLowerCase(), "0" + issued.serialHex().toLowerCase()))
                .isTrue();
        assertThat(shop.serves(other.sha256Fingerprint(), other.serialHex())).isFalse();
        assertThat(shop.serves(issued.sha256Fingerprint(), other.serialHex())).isFalse();
        assertThat(shop.serves(issued.sha256Fingerprint(), "not hex")).isFalse();
    }

    @Test
    void expiryWithinDays() {
        ServedCertificate.Presented blog = presented("blog.example.com");
        ServedCertificate.Presented shop = presented("shop.example.com");

        assertThat(blog.expiresWithinDays(7, NOW)).isTrue();
        assertThat(blog.expiresWithinDays(4, NOW)).isFalse();
        assertThat(blog.expiresWithinDays(0, NOW.plus(Duration.ofDays(6)))).isTrue();
        assertThat(shop.expiresWithinDays(30, NOW)).isFalse();
        assertThatThrownBy(() -> shop.expiresWithinDays(-1, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> probe.probe("not a host", "127.0.0.1", 443)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[not a host]");
        assertThatThrownBy(() -> probe.probe("shop.example.com", "127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServedCertificateProbe(TrustAnchors.jdkDefault(), Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ServedCertificate.Presented presented(String hostName) {
        ServedCertificate served = probe.probe(hostName, "127.0.0.1", server.port());
        assertThat(served).isInstanceOf(ServedCertificate.Presented.class);
        return (ServedCertificate.Presented) served;
    }

    /** A TLS server on 127.0.0.1 that picks its certificate by the SNI name and refuses names it does not know. */
    private static final class SniServer implements AutoCloseable {

        private final SSLServerSocket socket;

        SniServer(Map<String, X509Certificate[]> chains, Map<String, PrivateKey> keys) throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(chains, keys)}, null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setSNIMatchers(List.of(SNIHostName.createSNIMatcher(
                    String.join("|", chains.keySet().stream().map(name -> name.replace(".", "\\.")).toList()))));
            socket.setSSLParameters(parameters);
            Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    SSLSocket client = (SSLSocket) socket.accept();
                    Thread.ofVirtual().start(() -> handshake(client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void handshake(SSLSocket client) {
            try (client) {
                client.setSoTimeout(5_000);
                client.startHandshake();
            } catch (IOException ignored) {
                // A refused SNI name or a probe that closes early ends the handshake; the probe reports it.
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class SniKeyManager extends X509ExtendedKeyManager {

        private final Map<String, X509Certificate[]> chains;
        private final Map<String, PrivateKey> keys;

        SniKeyManager(Map<String, X509Certificate[]> chains, Map<String, PrivateKey> keys) {
            this.chains = chains;
            this.keys = keys;
        }

        @Override
        public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
            if (!(socket instanceof SSLSocket tls) || !(tls.getHandshakeSession() instanceof ExtendedSSLSession session)) {
                return null;
            }
            return session.getRequestedServerNames().stream()
                    .map(SNIServerName::getEncoded).map(String::new)
                    .filter(name -> keys.containsKey(name) && keys.get(name).getAlgorithm().equals(keyType))
                    .findFirst().orElse(null);
        }

        @Override
        public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chains.get(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.get(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
            return keys.keySet().toArray(String[]::new);
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
}
