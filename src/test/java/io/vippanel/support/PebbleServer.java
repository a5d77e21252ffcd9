package io.vippanel.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.util.CSRBuilder;
import org.shredzone.acme4j.util.CertificateUtils;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * A real Pebble (Let's Encrypt's ACME test CA, Debian's {@code pebble}) for tests: a fresh test CA and a TLS
 * certificate for 127.0.0.1/localhost made here (Pebble ships none), its ACME and management listeners on free loopback
 * ports, names resolved through the DNS server the test gives (a {@link PowerDnsServer}), HTTP-01 validations sent to
 * the port the test gives. Every validation is immediate and no valid nonce is rejected, so tests are fast and
 * deterministic. {@link #close()} stops it and removes its folder; a shutdown hook does the same if a test forgets.
 */
public final class PebbleServer implements AutoCloseable {

    private static final Path PEBBLE = Path.of("/usr/bin/pebble");
    private static final String LOOPBACK = "127.0.0.1";
    private static final int START_ATTEMPTS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path folder;
    private final int dnsPort;
    private final int http01Port;
    private final Thread shutdownHook;
    private Process process;
    private int acmePort;
    private int managementPort;
    private SSLContext trust;

    private PebbleServer(Path folder, int dnsPort, int http01Port) {
        this.folder = folder;
        this.dnsPort = dnsPort;
        this.http01Port = http01Port;
        this.shutdownHook = new Thread(this::stop, "pebble-test-server-stop");
    }

    /** Fails under CI (scripts/test.sh installs the package there) and skips elsewhere when Pebble is missing. */
    public static void assumeUsable() {
        if (Files.isExecutable(PEBBLE)) {
            return;
        }
        String reason = "A test ACME CA needs " + PEBBLE + " (apt-get install -y pebble)";
        if (System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(false, reason);
    }

    /**
     * Starts Pebble on 127.0.0.1 and waits until its directory answers.
     *
     * @param dnsPort    the port of the DNS server on 127.0.0.1 that Pebble resolves every name through
     * @param http01Port the port HTTP-01 validations connect to (80 for a real CA); the test listens there
     */
    public static PebbleServer start(int dnsPort, int http01Port) throws IOException, InterruptedException {
        PebbleServer server = new PebbleServer(Files.createTempDirectory("vip-pebble-"), dnsPort, http01Port);
        try {
            server.createTlsCertificates();
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.launch();
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    /** The ACME directory, {@code https://127.0.0.1:port/dir}. */
    public URI directoryUrl() {
        return URI.create("https://" + LOOPBACK + ":" + acmePort + "/dir");
    }

    /** The PEM file of the CA that signed Pebble's TLS certificate: what an ACME client must trust to reach it. */
    public Path tlsTrustFile() {
        return folder.resolve("tls-ca.pem");
    }

    /**
     * Pebble's issuing root certificate (PEM), from its management API. Pebble makes a new one on every start; issued
     * chains verify against it.
     */
    public String rootCertificatePem() throws IOException, InterruptedException {
        return management("/roots/0");
    }

    /** What Pebble logged so far. */
    public String log() {
        return TestProcesses.readLog(folder.resolve("pebble.log"));
    }

    @Override
    public void close() {
        TestProcesses.runShutdownHookNow(shutdownHook);
    }

    private synchronized void stop() {
        TestProcesses.stop(process);
        TestFiles.deleteTree(folder);
    }

    /** A one-day CA and a certificate for localhost and 127.0.0.1 signed by it, for Pebble's two HTTPS listeners. */
    private void createTlsCertificates() throws IOException {
        Instant now = Instant.now();
        KeyPair caKey = KeyPairUtils.createKeyPair(2048);
        X509Certificate ca = CertificateUtils.createTestRootCertificate("CN=VIP Panel test Pebble TLS CA",
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), caKey);
        KeyPair serverKey = KeyPairUtils.createKeyPair(2048);
        CSRBuilder request = new CSRBuilder();
        request.addDomain("localhost");
        request.addIP(InetAddress.getByName(LOOPBACK));
        request.sign(serverKey);
        X509Certificate server = CertificateUtils.createTestCertificate(request.getCSR(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), ca, caKey.getPrivate());
        Files.writeString(tlsTrustFile(), pem(ca));
        Files.writeString(folder.resolve("tls-cert.pem"), pem(server));
        try (Writer key = Files.newBufferedWriter(folder.resolve("tls-key.pem"))) {
            KeyPairUtils.writeKeyPair(serverKey, key);
        }
        trust = sslContextTrusting(ca);
    }

    /** Free ports can be taken between choosing and binding them; a failed bind starts over on other ports. */
    private void launch() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            acmePort = freeTcpPort();
            managementPort = freeTcpPort();
            Path config = folder.resolve("pebble-config.json");
            Files.writeString(config, configuration(freeTcpPort()));
            ProcessBuilder builder = new ProcessBuilder(PEBBLE.toString(), "-config", config.toString(),
                    "-dnsserver", LOOPBACK + ":" + dnsPort)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("pebble.log").toFile());
            // Validations start at once instead of after a random sleep of up to 15 s; no good nonce is refused.
            builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
            builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
            // Every order gets fresh authorizations, so each test sees its own challenges.
            builder.environment().put("PEBBLE_AUTHZREUSE", "0");
            process = builder.start();
            if (awaitDirectory()) {
                return;
            }
            String log = log();
            boolean portTaken = log.contains("address already in use");
            if (!portTaken || attempt >= START_ATTEMPTS) {
                throw new IllegalStateException("Pebble did not start (attempt " + attempt + ", ACME port " + acmePort
                        + ", management port " + managementPort + ", exit " + (process.isAlive() ? "none, still running"
                        : process.exitValue()) + "):\n" + log);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Both listeners on loopback with the certificate made here; TLS-ALPN-01 validations go to a free port nobody
     * listens on, as the tests use HTTP-01 and DNS-01 only.
     */
    private String configuration(int tlsAlpnPort) {
        return """
                {
                  "pebble": {
                    "listenAddress": "%s:%d",
                    "managementListenAddress": "%s:%d",
                    "certificate": "%s",
                    "privateKey": "%s",
                    "httpPort": %d,
                    "tlsPort": %d,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": false
                  }
                }
                """.formatted(LOOPBACK, acmePort, LOOPBACK, managementPort, folder.resolve("tls-cert.pem"),
                folder.resolve("tls-key.pem"), http01Port, tlsAlpnPort);
    }

    private boolean awaitDirectory() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (HttpClient http = client()) {
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                try {
                    HttpRequest request = HttpRequest.newBuilder(directoryUrl()).timeout(Duration.ofSeconds(2)).build();
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        return false;
    }

    private String management(String path) throws IOException, InterruptedException {
        try (HttpClient http = client()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + LOOPBACK + ":" + managementPort + path))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                fail("Pebble's management API answered " + response.statusCode() + " for " + path + ": "
                        + response.body() + "\n" + log());
            }
            return response.body();
        }
    }

    private HttpClient client() {
        return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static SSLContext sslContextTrusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("pebble-tls-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the test CA cannot be trusted: " + e.getMessage(), e);
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            StringWriter text = new StringWriter();
            text.write("-----BEGIN CERTIFICATE-----\n");
            text.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded()));
            text.write("\n-----END CERTIFICATE-----\n");
            return text.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }
}
