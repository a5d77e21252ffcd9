package io.vippanel.ssl.internal;

import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.internal.acme.AcmeIssuer;
import io.vippanel.ssl.internal.acme.AcmePolling;
import io.vippanel.ssl.internal.cert.CustomCertificateValidator;
import io.vippanel.ssl.internal.cert.ServedCertificateProbe;
import io.vippanel.ssl.internal.cert.TrustAnchors;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SSL module's encrypted columns (so that master-key rotation re-encrypts them), and the ACME client, the custom
 * certificate checks and the served-certificate probe, with the roots sites' certificates are checked against.
 */
@Configuration(proxyBeanMethods = false)
class SslConfiguration {

    @Bean
    EncryptedColumn acmeAccountKeyColumn() {
        return AcmeAccountSettings.ACCOUNT_KEY;
    }

    @Bean
    EncryptedColumn certificateKeyColumn() {
        return CertificateWork.PRIVATE_KEY;
    }

    @Bean
    AcmeIssuer acmeIssuer() {
        return new AcmeIssuer(AcmePolling.DEFAULT);
    }

    @Bean
    TrustAnchors siteTrustAnchors(VipProperties properties) {
        String roots = properties.ssl().siteTrustRoots();
        return roots == null || roots.isBlank() ? TrustAnchors.jdkDefault() : TrustAnchors.pemFile(Path.of(roots));
    }

    @Bean
    CustomCertificateValidator customCertificateValidator(TrustAnchors siteTrustAnchors, Clock clock) {
        return new CustomCertificateValidator(siteTrustAnchors, clock);
    }

    @Bean
    ServedCertificateProbe servedCertificateProbe(TrustAnchors siteTrustAnchors, VipProperties properties, Clock clock) {
        return new ServedCertificateProbe(siteTrustAnchors, properties.ssl().servedCheckTimeout(), clock);
    }
}
