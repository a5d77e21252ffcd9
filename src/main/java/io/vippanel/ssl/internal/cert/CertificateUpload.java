package io.vippanel.ssl.internal.cert;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A custom certificate as a person uploads it for a site.
 *
 * @param certificatePem the site's certificate; a full chain pasted here (leaf and intermediates) is accepted too
 * @param chainPem the intermediate certificates, in any order; blank or null when none are given separately
 * @param privateKeyPem the unencrypted private key: PKCS#8, PKCS#1 RSA or SEC1 EC
 * @param hostNames every host name the site answers to, which the certificate must cover
 */
public record CertificateUpload(@Nullable String certificatePem, @Nullable String chainPem, @Nullable String privateKeyPem,
                                List<String> hostNames) {

    public CertificateUpload {
        hostNames = List.copyOf(hostNames);
    }

    @Override
    public String toString() {
        return "CertificateUpload[hostNames=" + hostNames + ", privateKeyPem=(hidden)]";
    }
}
