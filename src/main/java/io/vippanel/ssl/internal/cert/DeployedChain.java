package io.vippanel.ssl.internal.cert;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;

/** What the panel records about a certificate chain it deploys: its leaf, and whether nginx can staple OCSP for it. */
public final class DeployedChain {

    private DeployedChain() {
    }

    /**
     * The leaf (first) certificate of a PEM chain.
     *
     * @throws IllegalArgumentException when the text holds no certificate (the panel only passes chains it parsed before)
     */
    public static CertificateSummary leaf(String chainPem) {
        return CertificateSummary.of(first(chainPem));
    }

    /** The leaf names an OCSP responder (Authority Information Access), so nginx has something to staple. */
    public static boolean hasOcspResponder(String chainPem) {
        byte[] extension = first(chainPem).getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return false;
        }
        AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(extension).getOctets());
        for (AccessDescription description : access.getAccessDescriptions()) {
            if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate first(String chainPem) {
        try {
            List<X509Certificate> certificates = PemInput.certificates(chainPem, "certificate chain");
            return certificates.getFirst();
        } catch (CertificateProblem e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
