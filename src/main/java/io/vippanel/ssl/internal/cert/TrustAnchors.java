package io.vippanel.ssl.internal.cert;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The root certificates a chain must lead to, as browsers would check it (PKIX path validation, without revocation).
 * The panel uses the JDK's default trust store; tests bring their own root.
 */
public final class TrustAnchors {

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> roots;

    private TrustAnchors(Collection<X509Certificate> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("roots must hold at least one certificate");
        }
        this.roots = List.copyOf(roots);
        this.anchors = roots.stream().map(root -> new TrustAnchor(root, null)).collect(Collectors.toUnmodifiableSet());
    }

    /** The roots of the JDK's default trust store ({@code cacerts}, or what {@code javax.net.ssl.trustStore} names). */
    public static TrustAnchors jdkDefault() {
        return JdkDefault.ANCHORS;
    }

    public static TrustAnchors of(Collection<X509Certificate> roots) {
        return new TrustAnchors(roots);
    }

    /**
     * The root certificates in a PEM file (a private CA's).
     *
     * @throws IllegalStateException when the file cannot be read or holds no certificate: a setting to fix at start-up
     */
    public static TrustAnchors pemFile(java.nio.file.Path file) {
        try {
            return new TrustAnchors(PemInput.certificates(java.nio.file.Files.readString(file), "trusted roots"));
        } catch (java.io.IOException | CertificateProblem e) {
            throw new IllegalStateException("cannot read trusted root certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    public static TrustAnchors of(X509Certificate... roots) {
        return new TrustAnchors(Arrays.asList(roots));
    }

    /**
     * Why the chain does not lead to one of these roots at the given time, or empty when it does.
     *
     * @param ordered the chain, leaf first, as {@link CertificateChains#order} puts it
     */
    Optional<String> problem(CertificateChains.Ordered ordered, Instant at) {
        List<X509Certificate> path = new ArrayList<>(ordered.path());
        X509Certificate top = ordered.top();
        if (CertificateChains.isSelfSigned(top)) {
            if (!roots.contains(top)) {
                return Optional.of("The chain ends at the root [" + top.getSubjectX500Principal().getName()
                        + "], which browsers do not trust; the certificate must be issued by a public certificate authority.");
            }
            path.removeLast();
            if (path.isEmpty()) {
                return Optional.empty();
            }
        } else if (roots.stream().noneMatch(root -> CertificateChains.isSignedBy(top, root))) {
            return Optional.of("The chain is incomplete: the certificate of the issuer [" + top.getIssuerX500Principal().getName()
                    + "] is missing; add the intermediate certificates your certificate authority supplied.");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            // Revocation needs the network (OCSP, CRLs); this check must work offline and quickly.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            String where = e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? " at [" + path.get(e.getIndex()).getSubjectX500Principal().getName() + "]" : "";
            return Optional.of("The chain does not validate" + where + ": " + e.getMessage() + ".");
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("every JDK validates X.509 paths with PKIX", e);
        }
    }

    private static final class JdkDefault {

        private static final TrustAnchors ANCHORS = load();

        private static TrustAnchors load() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                return Arrays.stream(factory.getTrustManagers())
                        .filter(X509TrustManager.class::isInstance)
                        .map(manager -> new TrustAnchors(Arrays.asList(((X509TrustManager) manager).getAcceptedIssuers())))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("the JDK's default trust manager is not an X509TrustManager"));
            } catch (NoSuchAlgorithmException | KeyStoreException e) {
                throw new IllegalStateException("the JDK's default trust store cannot be read", e);
            }
        }
    }
}
