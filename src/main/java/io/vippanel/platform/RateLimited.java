package io.vippanel.platform;

import java.time.Duration;

/** Too many attempts; answered with 429 and Retry-After. */
public class RateLimited extends RuntimeException {

    private final Duration retryAfter;

    public RateLimited(Duration retryAfter) {
        super("Too many attempts. Try again in " + retryAfter.toSeconds() + " seconds.");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
