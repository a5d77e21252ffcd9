package io.vippanel.ssl.internal.acme;

import java.time.Instant;
import java.util.List;

/**
 * A certificate the CA issued, ready to deploy.
 *
 * @param chainPem      the certificate followed by its intermediates, PEM, as web servers take it
 * @param privateKeyPem the certificate's private key, PEM; a secret to store encrypted and never log
 * @param serial        the serial number in lower-case hex
 * @param names         the DNS names the certificate covers (its subject alternative names)
 */
public record IssuedCertificate(String chainPem, String privateKeyPem, String serial, Instant notBefore,
                                Instant notAfter, List<String> names) {

    public IssuedCertificate {
        names = List.copyOf(names);
    }

    /** Leaves the private key out. */
    @Override
    public String toString() {
        return "IssuedCertificate[serial=" + serial + ", names=" + names + ", notBefore=" + notBefore + ", notAfter="
                + notAfter + "]";
    }
}
