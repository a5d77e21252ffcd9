package io.vippanel.ssl.internal.cert;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a person needs to recognise a certificate: who it is for, who issued it, the names it covers and when it is valid.
 *
 * @param subject the subject's distinguished name (RFC 2253)
 * @param issuer the issuer's distinguished name (RFC 2253)
 * @param dnsNames the DNS names of the subject alternative names, lower case, in certificate order
 * @param serialHex the serial number in upper-case hex, as browsers and {@code openssl x509 -serial} show it
 * @param sha256Fingerprint the SHA-256 of the DER encoding, upper-case hex pairs joined by colons
 */
public record CertificateSummary(String subject, String issuer, List<String> dnsNames, String serialHex, Instant notBefore,
                                 Instant notAfter, String sha256Fingerprint) {

    public CertificateSummary {
        dnsNames = List.copyOf(dnsNames);
    }

    static CertificateSummary of(X509Certificate certificate) {
        return new CertificateSummary(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), CertificateNames.dnsNames(certificate),
                serialHex(certificate.getSerialNumber()), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), fingerprint(certificate));
    }

    /** Whether {@code fingerprint} names this certificate, written with or without colons, in either case. */
    boolean hasFingerprint(String fingerprint) {
        return normalizedHex(fingerprint).equals(normalizedHex(sha256Fingerprint));
    }

    /** Whether {@code serial} is this certificate's serial number, written in hex with or without colons or leading zeros. */
    boolean hasSerial(String serial) {
        String hex = normalizedHex(serial);
        try {
            return !hex.isEmpty() && new BigInteger(hex, 16).equals(new BigInteger(serialHex, 16));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String normalizedHex(String text) {
        return text.strip().replace(":", "").toUpperCase(Locale.ROOT);
    }

    private static String serialHex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has a DER encoding and every JDK has SHA-256", e);
        }
    }
}
