package io.vippanel.ssl.internal.acme;

import java.net.URL;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The CA's suggested time to renew a certificate (ACME Renewal Information). A window in the past means renew now,
 * e.g. because the CA will revoke the certificate.
 *
 * @param explanation a page where the CA explains an unusual window, or {@code null}
 * @param checkAgainAt when the CA asks to be asked again (its Retry-After), or {@code null}
 */
public record RenewalWindow(Instant start, Instant end, @Nullable URL explanation, @Nullable Instant checkAgainAt) {

    public Optional<URL> explanationPage() {
        return Optional.ofNullable(explanation);
    }

    public Optional<Instant> checkAgain() {
        return Optional.ofNullable(checkAgainAt);
    }
}
