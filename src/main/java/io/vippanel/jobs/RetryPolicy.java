package io.vippanel.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often a job type is tried and how long to wait between tries: exponential backoff with "equal jitter"
 * (half the delay fixed, half random) so that jobs failing together do not all come back at the same moment.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initialDelay <= maxDelay");
        }
    }

    /** Five tries over roughly fifteen minutes: rides out a provider hiccup or a server still booting. */
    public static RetryPolicy standard() {
        return new RetryPolicy(5, Duration.ofSeconds(15), Duration.ofMinutes(10));
    }

    public static RetryPolicy once() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before attempt {@code nextAttempt} (2 for the first retry). */
    public Duration delayBefore(int nextAttempt, RandomGenerator random) {
        long base = initialDelay.toMillis();
        long capped = maxDelay.toMillis();
        long exponential = base;
        for (int i = 2; i < nextAttempt && exponential > 0 && exponential < capped; i++) {
            // Doubling past half the cap could overflow a long for very large caps: stop at the cap instead.
            exponential = exponential > capped / 2 ? capped : exponential * 2;
        }
        exponential = Math.min(exponential, capped);
        long half = exponential / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}
