package io.vippanel.ssl.internal.cert;

import java.util.List;

/**
 * A custom certificate that passed every check, normalised for the web server.
 *
 * @param certificate what the leaf certificate says
 * @param chainPem the leaf, then the intermediates in issuing order, without the root
 * @param privateKeyPem the private key in PKCS#8 ({@code BEGIN PRIVATE KEY})
 * @param warnings what a person should know but need not fix now, such as an expiry within days
 */
public record ValidatedCertificate(CertificateSummary certificate, String chainPem, String privateKeyPem, List<String> warnings) {

    public ValidatedCertificate {
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() {
        return "ValidatedCertificate[certificate=" + certificate + ", warnings=" + warnings + ", privateKeyPem=(hidden)]";
    }
}
