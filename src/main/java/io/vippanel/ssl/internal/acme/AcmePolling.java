package io.vippanel.ssl.internal.acme;

import java.time.Duration;

/**
 * How {@link AcmeIssuer} waits for the CA: the first delay doubles up to {@code maxDelay} until {@code timeout}; a
 * Retry-After from the CA replaces the delay when it is later.
 */
public record AcmePolling(Duration firstDelay, Duration maxDelay, Duration timeout) {

    /** Suits public CAs, which validate in seconds and ask clients not to poll more often than that. */
    public static final AcmePolling DEFAULT = new AcmePolling(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    public AcmePolling {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0
                || timeout.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("polling [%s, %s, %s] needs 0 < firstDelay <= maxDelay and firstDelay <= timeout"
                    .formatted(firstDelay, maxDelay, timeout));
        }
    }
}
