package io.vippanel.ssl.internal.cert;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Puts certificates in chain order, leaf first, whatever order they were pasted or served in. */
final class CertificateChains {

    private CertificateChains() {
    }

    /**
     * The chain from {@code leaf} upwards through {@code candidates}, each certificate followed by the one that signed it.
     *
     * @param path the leaf, then its issuers in order, up to a self-signed root or the first issuer not among the candidates
     * @param unrelated the candidates that are not on that path
     */
    record Ordered(List<X509Certificate> path, List<X509Certificate> unrelated) {

        Ordered {
            path = List.copyOf(path);
            unrelated = List.copyOf(unrelated);
        }

        X509Certificate top() {
            return path.getLast();
        }
    }

    static Ordered order(X509Certificate leaf, List<X509Certificate> candidates) {
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        List<X509Certificate> left = new ArrayList<>();
        candidates.stream().distinct().filter(candidate -> !candidate.equals(leaf)).forEach(left::add);
        X509Certificate current = leaf;
        while (!isSelfSigned(current)) {
            X509Certificate child = current;
            X509Certificate issuer = left.stream().filter(candidate -> isSignedBy(child, candidate)).findFirst().orElse(null);
            if (issuer == null) {
                break;
            }
            path.add(issuer);
            left.remove(issuer);
            current = issuer;
        }
        return new Ordered(path, left);
    }

    /** Names itself as issuer and carries a signature made with its own key. */
    static boolean isSelfSigned(X509Certificate certificate) {
        return isSignedBy(certificate, certificate);
    }

    static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
