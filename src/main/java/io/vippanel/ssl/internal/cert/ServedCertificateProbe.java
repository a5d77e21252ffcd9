package io.vippanel.ssl.internal.cert;

import io.vippanel.platform.Validation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Connects to a server the way a browser would for a host name (TLS with SNI) and reports the certificate it serves.
 *
 * <p>The handshake accepts any certificate so that an untrusted, expired or wrong one can still be seen and explained;
 * the connection carries nothing and is closed right after the handshake. Trust and names are then judged separately,
 * against the given trust anchors.
 */
public final class ServedCertificateProbe {

    public static final int HTTPS_PORT = 443;

    private final TrustAnchors trustAnchors;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param timeout the limit for connecting, and again for each read of the handshake
     */
    public ServedCertificateProbe(TrustAnchors trustAnchors, Duration timeout, Clock clock) {
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout [" + timeout + "] must be positive and at most " + Integer.MAX_VALUE + " ms");
        }
        this.trustAnchors = trustAnchors;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes {@code hostName} at the address it resolves to, on port 443. */
    public ServedCertificate probe(String hostName) {
        return probe(hostName, hostName, HTTPS_PORT);
    }

    /**
     * Probes the server at {@code address} and {@code port}, asking for {@code hostName} in SNI, as when the site's DNS
     * does not point at its server yet.
     *
     * @param address a host name or IP address literal to connect to
     */
    public ServedCertificate probe(String hostName, String address, int port) {
        String name = Validation.hostNameOrNull(hostName.strip());
        if (name == null) {
            throw new IllegalArgumentException("hostName [" + hostName + "] is not a valid host name");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port [" + port + "] must be 1 to 65535");
        }
        String where = address + ":" + port;
        RecordingTrustManager recorder = new RecordingTrustManager();
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) context(recorder).getSocketFactory().createSocket(plain, name, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(name)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
            }
        } catch (UnknownHostException e) {
            return new ServedCertificate.Unavailable(name, "The address " + address + " does not resolve in DNS.");
        } catch (ConnectException e) {
            return new ServedCertificate.Unavailable(name, "The connection to " + where + " was refused: nothing accepts "
                    + "HTTPS connections there.");
        } catch (SocketTimeoutException e) {
            return new ServedCertificate.Unavailable(name, "No answer from " + where + " within " + seconds() + "; a firewall "
                    + "may drop the connection, or the server is down.");
        } catch (SSLException e) {
            if (recorder.chain == null) {
                return new ServedCertificate.Unavailable(name, handshakeFailure(name, where, e));
            }
            // The certificate arrived; whatever failed later in the handshake does not change what was served.
        } catch (IOException e) {
            return new ServedCertificate.Unavailable(name, "Could not connect to " + where + ": " + e.getMessage() + ".");
        }
        X509Certificate[] chain = recorder.chain;
        if (chain == null || chain.length == 0) {
            return new ServedCertificate.Unavailable(name, "The server at " + where + " completed the handshake without "
                    + "presenting a certificate.");
        }
        X509Certificate leaf = chain[0];
        CertificateChains.Ordered ordered = CertificateChains.order(leaf, List.of(chain));
        String trustProblem = trustAnchors.problem(ordered, clock.instant()).orElse(null);
        boolean covers = CertificateNames.uncovered(CertificateNames.dnsNames(leaf), List.of(name)).isEmpty();
        return new ServedCertificate.Presented(name, CertificateSummary.of(leaf), chain.length, trustProblem, covers);
    }

    private static String handshakeFailure(String name, String where, SSLException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (detail.contains("unrecognized_name")) {
            return "The server at " + where + " has no certificate for " + name + ": it refused the name sent in SNI.";
        }
        return "The TLS handshake with " + where + " failed: " + detail + ".";
    }

    private String seconds() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static SSLContext context(RecordingTrustManager recorder) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new X509ExtendedTrustManager[] {recorder}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK offers TLS", e);
        }
    }

    /**
     * Records the server's chain and accepts it, for inspection only: this trust manager belongs to one probe's
     * connection, which sends no data. It extends {@link X509ExtendedTrustManager} so that the JDK does not add its own
     * checks around it and abort the handshake before a weak or misnamed certificate could be seen.
     */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {

        private X509Certificate @Nullable [] chain;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            this.chain = chain.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            this.chain = chain.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = chain.clone();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("the probe is only ever a TLS client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("the probe is only ever a TLS client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("the probe is only ever a TLS client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
