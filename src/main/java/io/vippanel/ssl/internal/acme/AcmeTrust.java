package io.vippanel.ssl.internal.acme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which certificates the ACME client trusts for the CA's HTTPS endpoints. Public CAs are reached with the JDK's trust
 * store; a private or test CA (Pebble, an internal step-ca) with its own root certificates from a PEM file. Hostname
 * verification stays on either way.
 */
public final class AcmeTrust {

    private static final AcmeTrust JDK_DEFAULT = new AcmeTrust(null);

    private final @Nullable SSLContext sslContext;

    private AcmeTrust(@Nullable SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    /** The JDK's trust store, for public CAs. */
    public static AcmeTrust jdkDefault() {
        return JDK_DEFAULT;
    }

    /** Trusts exactly the certificates in this PEM file (one or more), instead of the JDK's trust store. */
    public static AcmeTrust rootCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("trust file [%s] holds no certificate".formatted(pemFile));
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("acme-ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new AcmeTrust(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust file [%s] could not be read: %s".formatted(pemFile,
                    e.getMessage()), e);
        }
    }

    /** The TLS context for the CA's HTTP client; empty for the JDK's default. */
    Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }
}
