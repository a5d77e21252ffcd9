package io.vippanel.ssl.internal.cert;

import io.vippanel.platform.Validation;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a custom certificate a person uploads for a site, the way a browser will judge it once the site serves it.
 *
 * <p>Errors are keyed by the three fields the form and the API send, each with every problem found in it:
 * <ul>
 *   <li>{@code certificate}: PEM and size, validity dates, self-signed, names covering the site's host names, key
 *       strength (RSA {@value CertificateKeys#MIN_RSA_BITS} bits or more, EC P-256 or P-384);</li>
 *   <li>{@code chain}: PEM and size (at most {@value #MAX_CHAIN} certificates), and the path from the certificate
 *       through the intermediates to a trusted root;</li>
 *   <li>{@code privateKey}: PEM, no passphrase, and belonging to the certificate.</li>
 * </ul>
 * A certificate that expires within {@value #EXPIRY_WARNING_DAYS} days is accepted with a warning.
 */
public final class CustomCertificateValidator {

    public static final String CERTIFICATE = "certificate";
    public static final String CHAIN = "chain";
    public static final String PRIVATE_KEY = "privateKey";

    public static final int MAX_CHAIN = 10;
    public static final int EXPIRY_WARNING_DAYS = 7;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final TrustAnchors trustAnchors;
    private final Clock clock;

    public CustomCertificateValidator(TrustAnchors trustAnchors, Clock clock) {
        this.trustAnchors = trustAnchors;
        this.clock = clock;
    }

    /**
     * Checks an upload and records each field's error in {@code validation}.
     *
     * @return the normalised certificate, or null when a field was refused
     */
    public @Nullable ValidatedCertificate validate(Validation validation, CertificateUpload upload) {
        return switch (check(upload)) {
            case CustomCertificateCheck.Valid valid -> valid.certificate();
            case CustomCertificateCheck.Invalid invalid -> {
                invalid.fieldErrors().forEach(validation::reject);
                yield null;
            }
        };
    }

    /**
     * Checks an upload without throwing.
     *
     * @throws IllegalArgumentException when a host name of the site is not a valid host name: the site checked it before
     */
    public CustomCertificateCheck check(CertificateUpload upload) {
        List<String> hostNames = upload.hostNames().stream().map(CustomCertificateValidator::hostName).toList();
        Problems problems = new Problems();
        List<X509Certificate> given = problems.collect(CERTIFICATE,
                () -> PemInput.certificates(required(upload.certificatePem(), "certificate", "-----BEGIN CERTIFICATE-----"),
                        "certificate"));
        List<X509Certificate> chain = problems.collect(CHAIN, () -> chain(upload.chainPem()));
        PrivateKey key = problems.collect(PRIVATE_KEY,
                () -> PemInput.privateKey(required(upload.privateKeyPem(), "private key", "-----BEGIN PRIVATE KEY-----")));
        if (given == null) {
            return problems.invalid();
        }
        X509Certificate leaf = leaf(given);
        List<X509Certificate> intermediates = new ArrayList<>(given);
        intermediates.remove(leaf);
        if (chain != null) {
            intermediates.addAll(chain);
        }
        CertificateChains.Ordered ordered = CertificateChains.order(leaf, intermediates);
        List<String> warnings = new ArrayList<>();
        boolean pathCanValidate = checkCertificate(leaf, hostNames, problems, warnings);
        if (pathCanValidate && chain != null) {
            trustAnchors.problem(ordered, clock.instant()).ifPresent(problem -> problems.add(CHAIN, problem));
        }
        if (key != null && !CertificateKeys.belongTogether(key, leaf.getPublicKey())) {
            problems.add(PRIVATE_KEY, "The private key does not belong to this certificate; paste the key that was created "
                    + "with the certificate's signing request (CSR).");
        }
        if (problems.any() || key == null) {
            return problems.invalid();
        }
        if (!ordered.unrelated().isEmpty()) {
            warnings.add("Left out certificates that are not part of this certificate's chain: " + ordered.unrelated().stream()
                    .map(certificate -> "[" + certificate.getSubjectX500Principal().getName() + "]")
                    .collect(Collectors.joining(", ")) + ".");
        }
        return new CustomCertificateCheck.Valid(new ValidatedCertificate(CertificateSummary.of(leaf), chainPem(ordered, warnings),
                PemInput.pem(key), warnings));
    }

    /**
     * Checks the leaf on its own.
     *
     * @return whether path validation can say anything new: not for a self-signed leaf, nor outside its validity
     */
    private boolean checkCertificate(X509Certificate leaf, List<String> hostNames, Problems problems, List<String> warnings) {
        boolean selfSigned = CertificateChains.isSelfSigned(leaf);
        if (selfSigned) {
            problems.add(CERTIFICATE, "This certificate is self-signed, and a self-signed certificate is not trusted by "
                    + "browsers; upload one issued by a certificate authority.");
        }
        Instant now = clock.instant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        boolean current = false;
        if (now.isAfter(notAfter)) {
            problems.add(CERTIFICATE, "The certificate expired on " + DATE.format(notAfter) + "; upload its renewal.");
        } else if (now.isBefore(notBefore)) {
            problems.add(CERTIFICATE, "The certificate is not valid yet: it is valid from " + DATE.format(notBefore) + " to "
                    + DATE.format(notAfter) + ".");
        } else {
            current = true;
            if (now.plus(Duration.ofDays(EXPIRY_WARNING_DAYS)).isAfter(notAfter)) {
                warnings.add("The certificate expires on " + DATE.format(notAfter) + ", within " + EXPIRY_WARNING_DAYS
                        + " days; upload its renewal soon.");
            }
        }
        List<String> names = CertificateNames.dnsNames(leaf);
        List<String> uncovered = CertificateNames.uncovered(names, hostNames);
        if (names.isEmpty()) {
            problems.add(CERTIFICATE, "The certificate names no DNS host (it has no subject alternative names), so browsers "
                    + "accept it for no site.");
        } else if (!uncovered.isEmpty()) {
            problems.add(CERTIFICATE, "The certificate does not cover " + String.join(", ", uncovered) + "; it covers "
                    + String.join(", ", names) + ".");
        }
        CertificateKeys.weakness(leaf.getPublicKey()).ifPresent(weakness -> problems.add(CERTIFICATE, "The certificate is "
                + "not strong enough. " + weakness));
        return current && !selfSigned;
    }

    private static List<X509Certificate> chain(@Nullable String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        checkSize(pem, "chain");
        List<X509Certificate> chain = PemInput.certificates(pem, "chain");
        if (chain.size() > MAX_CHAIN) {
            throw new CertificateProblem("The chain holds " + chain.size() + " certificates; at most " + MAX_CHAIN
                    + " are accepted.");
        }
        return chain;
    }

    private static String required(@Nullable String pem, String what, String firstLine) {
        if (pem == null || pem.isBlank()) {
            throw new CertificateProblem("Paste the " + what + " (PEM text starting with " + firstLine + ").");
        }
        checkSize(pem, what);
        return pem;
    }

    private static void checkSize(String pem, String what) {
        if (pem.length() > PemInput.MAX_CHARS) {
            throw new CertificateProblem("The " + what + " is larger than " + PemInput.MAX_CHARS / 1024 + " KB; paste only "
                    + "the PEM text.");
        }
    }

    /** The certificate field may hold a full chain in any order; the leaf is the one that is not a CA. */
    private static X509Certificate leaf(List<X509Certificate> certificates) {
        List<X509Certificate> endEntities = certificates.stream().filter(c -> c.getBasicConstraints() < 0).toList();
        return endEntities.size() == 1 ? endEntities.getFirst() : certificates.getFirst();
    }

    private static String chainPem(CertificateChains.Ordered ordered, List<String> warnings) {
        List<X509Certificate> path = new ArrayList<>(ordered.path());
        if (path.size() > 1 && CertificateChains.isSelfSigned(ordered.top())) {
            // Browsers must already hold the root to trust the chain; sending it too only makes every handshake longer.
            path.removeLast();
            warnings.add("The root certificate [" + ordered.top().getSubjectX500Principal().getName() + "] was left out of "
                    + "the chain: browsers already have it.");
        }
        return path.stream().map(PemInput::pem).collect(Collectors.joining());
    }

    private static String hostName(String name) {
        String ascii = Validation.hostNameOrNull(name.strip());
        if (ascii == null) {
            throw new IllegalArgumentException("hostNames [" + name + "] is not a valid host name");
        }
        return ascii;
    }

    /** Every problem per field, joined into one message per field as the form shows it. */
    private static final class Problems {

        private final Map<String, List<String>> byField = new LinkedHashMap<>();

        <T> @Nullable T collect(String field, Supplier<T> parse) {
            try {
                return parse.get();
            } catch (CertificateProblem e) {
                add(field, e.getMessage());
                return null;
            }
        }

        void add(String field, String message) {
            byField.computeIfAbsent(field, ignored -> new ArrayList<>()).add(message);
        }

        boolean any() {
            return !byField.isEmpty();
        }

        CustomCertificateCheck.Invalid invalid() {
            Map<String, String> errors = new LinkedHashMap<>();
            byField.forEach((field, messages) -> errors.put(field, String.join(" ", messages)));
            return new CustomCertificateCheck.Invalid(errors);
        }
    }
}
