package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The backoff arithmetic: exponential growth, the cap, and "equal jitter" between half and all of the delay. */
class RetryPolicyTests {

    /** Random sources at the two ends of their range, so the bounds are hit exactly rather than by chance. */
    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(15), Duration.ofMinutes(10));

    @Test
    void theDelayDoublesPerAttemptUpToTheCap() {
        // Before attempt n the full delay is 15 s * 2^(n-2), at most 10 minutes.
        long[] fullSeconds = {15, 30, 60, 120, 240, 480, 600, 600, 600};
        for (int attempt = 2; attempt <= 10; attempt++) {
            long full = fullSeconds[attempt - 2] * 1_000;
            assertThat(policy.delayBefore(attempt, HIGHEST).toMillis()).as("longest wait before attempt %d", attempt).isEqualTo(full);
            assertThat(policy.delayBefore(attempt, LOWEST).toMillis()).as("shortest wait before attempt %d", attempt).isEqualTo(full / 2);
        }
    }

    @Test
    void equalJitterStaysBetweenHalfAndAllOfTheDelay() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 2; attempt <= 12; attempt++) {
            long full = Math.min(15_000L << (attempt - 2), 600_000L);
            for (int i = 0; i < 500; i++) {
                assertThat(policy.delayBefore(attempt, random).toMillis()).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void jitterSpreadsJobsThatFailTogether() {
        SplittableRandom random = new SplittableRandom(7);
        long distinct = java.util.stream.IntStream.range(0, 200).mapToLong(i -> policy.delayBefore(4, random).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(150);
    }

    @Test
    void veryLargeCapsAndAttemptNumbersDoNotOverflow() {
        RetryPolicy huge = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        assertThat(huge.delayBefore(200, HIGHEST).toMillis()).isEqualTo(Long.MAX_VALUE / 2 * 2);
        assertThat(huge.delayBefore(200, LOWEST).toMillis()).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(policy.delayBefore(Integer.MAX_VALUE, HIGHEST)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aPolicyWithoutDelaysRetriesAtOnce() {
        assertThat(RetryPolicy.once().delayBefore(2, HIGHEST)).isEqualTo(Duration.ZERO);
        assertThat(new RetryPolicy(3, Duration.ZERO, Duration.ofMinutes(1)).delayBefore(3, HIGHEST)).isEqualTo(Duration.ZERO);
    }

    @Test
    void nonsensePoliciesAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(-1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
