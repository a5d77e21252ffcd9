package io.vippanel.ssl.internal.cert;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What a server presented for a host name over TLS, or why nothing could be seen. */
public sealed interface ServedCertificate {

    /** The host name sent in SNI. */
    String hostName();

    /**
     * The server completed a handshake and presented a certificate, trusted or not.
     *
     * @param certificate the leaf certificate the server sent
     * @param chainLength how many certificates the server sent, the leaf included
     * @param trustProblem why browsers would not trust the chain, or null when they would
     * @param coversHostName whether the certificate's names cover {@link #hostName()}
     */
    record Presented(String hostName, CertificateSummary certificate, int chainLength, @Nullable String trustProblem,
                     boolean coversHostName) implements ServedCertificate {

        /** Trusted by the trust anchors the probe checked against. */
        public boolean trusted() {
            return trustProblem == null;
        }

        /**
         * Whether the server serves the certificate the panel issued or stored: the same SHA-256 fingerprint and serial
         * number, each written with or without colons, in either case.
         */
        public boolean serves(String issuedSha256Fingerprint, String issuedSerialHex) {
            return certificate.hasFingerprint(issuedSha256Fingerprint) && certificate.hasSerial(issuedSerialHex);
        }

        /** Whether the served certificate is expired at {@code now} or expires within {@code days} days of it. */
        public boolean expiresWithinDays(int days, Instant now) {
            if (days < 0) {
                throw new IllegalArgumentException("days [" + days + "] must not be negative");
            }
            return !now.plus(Duration.ofDays(days)).isBefore(certificate.notAfter());
        }
    }

    /**
     * No certificate could be seen.
     *
     * @param reason what went wrong, in words a person can act on (refused, timed out, handshake failed, no such name)
     */
    record Unavailable(String hostName, String reason) implements ServedCertificate {
    }
}
