package io.vippanel.jobs;

import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job types that exist only on the test classpath (component scanning picks them up in test contexts and in
 * the worker processes the tests start), each exercising one path of the job machinery.
 */
@Configuration(proxyBeanMethods = false)
public class TestJobTypes {

    /** Logs {@code steps} lines {@code delayMillis} apart, stopping when cancelled. */
    public static final String STEPS = "test.steps";
    /** Fails (retryably) on its first {@code failures} attempts, then succeeds. */
    public static final String FLAKY = "test.flaky";
    /** Always fails retryably: shows backoff and the final failure. */
    public static final String BROKEN = "test.broken";
    /** Fails permanently, as a job with missing credentials would. */
    public static final String MISCONFIGURED = "test.misconfigured";
    /** Logs a secret it registered for redaction. */
    public static final String LEAKY = "test.leaky";

    static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(300), Duration.ofMillis(1_200));

    private static int intParam(JobContext context, String name, int fallback) {
        return context.job().params().path(name).asInt(fallback);
    }

    @Bean
    JobType stepsJob() {
        return new JobType() {
            @Override
            public String name() {
                return STEPS;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofMillis(400));
            }

            @Override
            public JobOutcome run(JobContext context) {
                int steps = intParam(context, "steps", 3);
                int delay = intParam(context, "delayMillis", 100);
                for (int step = 1; step <= steps; step++) {
                    context.stopIfCancelled();
                    context.info("step " + step + " of " + steps);
                    sleep(delay);
                }
                return new JobOutcome("all " + steps + " steps done", Map.of("steps", steps));
            }
        };
    }

    @Bean
    JobType flakyJob() {
        return new JobType() {
            @Override
            public String name() {
                return FLAKY;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FAST_RETRIES;
            }

            @Override
            public JobOutcome run(JobContext context) {
                if (context.attempt() <= intParam(context, "failures", 1)) {
                    throw JobFailure.retryable("the remote API answered 503");
                }
                return JobOutcome.of("worked on attempt " + context.attempt());
            }
        };
    }

    @Bean
    JobType brokenJob() {
        return new JobType() {
            @Override
            public String name() {
                return BROKEN;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FAST_RETRIES;
            }

            @Override
            public JobOutcome run(JobContext context) {
                throw new IllegalStateException("connection reset by peer");
            }
        };
    }

    @Bean
    JobType misconfiguredJob() {
        return new JobType() {
            @Override
            public String name() {
                return MISCONFIGURED;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return FAST_RETRIES;
            }

            @Override
            public JobOutcome run(JobContext context) {
                throw JobFailure.permanent("no API token is stored for this provider");
            }
        };
    }

    @Bean
    JobType leakyJob() {
        return new JobType() {
            @Override
            public String name() {
                return LEAKY;
            }

            @Override
            public JobOutcome run(JobContext context) {
                String secret = context.job().params().path("hint").asString() + "-s3cr3t-value";
                context.redact(secret);
                context.info("connecting with password " + secret);
                return new JobOutcome("used " + secret, Map.of("password", secret));
            }
        };
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        }
    }
}
