package io.vippanel.jobs;

import java.util.Map;

/**
 * A job type's way to end a run as failed with a reason users can act on. Retryable failures (a host that does
 * not answer yet, a rate-limited API) are tried again per the type's {@link RetryPolicy}; permanent ones (bad
 * input, missing credentials, a changed host key) fail at once. Any other exception counts as retryable.
 */
public class JobFailure extends RuntimeException {

    private final boolean retryable;
    private final transient Map<String, ?> result;

    private JobFailure(String reason, boolean retryable, Map<String, ?> result) {
        super(reason, null, false, false);
        this.retryable = retryable;
        this.result = Map.copyOf(result);
    }

    public static JobFailure permanent(String reason) {
        return new JobFailure(reason, false, Map.of());
    }

    public static JobFailure permanent(String reason, Map<String, ?> result) {
        return new JobFailure(reason, false, result);
    }

    public static JobFailure retryable(String reason) {
        return new JobFailure(reason, true, Map.of());
    }

    public static JobFailure retryable(String reason, Map<String, ?> result) {
        return new JobFailure(reason, true, result);
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the run found before failing (a playbook recap, task results), stored with the job. */
    public Map<String, ?> result() {
        return result;
    }
}
