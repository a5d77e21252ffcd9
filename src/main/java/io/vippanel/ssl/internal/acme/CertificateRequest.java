package io.vippanel.ssl.internal.acme;

import io.vippanel.platform.Validation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to order: the names (lower-case ASCII, duplicates dropped), how to prove them, the key type, and optionally the
 * certificate this one replaces (sent to the CA as {@code replaces} when it offers renewal information).
 *
 * @param replacesChainPem the PEM chain of the certificate being renewed, or {@code null} for a first issuance
 */
public record CertificateRequest(List<String> names, ChallengeChoice challenges, CertificateKeyType keyType,
                                 @Nullable String replacesChainPem) {

    public CertificateRequest {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        LinkedHashSet<String> normalised = new LinkedHashSet<>();
        for (String name : names) {
            String text = name.strip();
            boolean wildcard = text.startsWith("*.");
            String host = Validation.hostNameOrNull(wildcard ? text.substring(2) : text);
            if (host == null) {
                throw new IllegalArgumentException("name [%s] is not a valid host name".formatted(name));
            }
            if (wildcard && challenges == ChallengeChoice.HTTP_01) {
                throw new IllegalArgumentException("name [%s] is a wildcard, which only DNS-01 can prove".formatted(name));
            }
            normalised.add(wildcard ? "*." + host : host);
        }
        names = List.copyOf(normalised);
    }

    /** These names, HTTP-01 or DNS-01 as each needs, an EC P-256 key, not a renewal. */
    public static CertificateRequest of(List<String> names) {
        return new CertificateRequest(names, ChallengeChoice.AUTOMATIC, CertificateKeyType.EC_P256, null);
    }

    public CertificateRequest withChallenges(ChallengeChoice choice) {
        return new CertificateRequest(names, choice, keyType, replacesChainPem);
    }

    public CertificateRequest withKeyType(CertificateKeyType type) {
        return new CertificateRequest(names, challenges, type, replacesChainPem);
    }

    /** The same order as a renewal of the certificate in this PEM chain (its first certificate). */
    public CertificateRequest replacing(String chainPem) {
        return new CertificateRequest(names, challenges, keyType, chainPem);
    }

    public Optional<String> replaces() {
        return Optional.ofNullable(replacesChainPem);
    }
}
