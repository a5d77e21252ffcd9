package io.vippanel.jobs;

/**
 * One kind of background work, registered as a Spring bean. Its {@link #run} must be idempotent: a run can be
 * repeated after a retry or after the worker running it died half-way.
 */
public interface JobType {

    /** Stable name stored with every job, e.g. {@code servers.provision}. */
    String name();

    default RetryPolicy retryPolicy() {
        return RetryPolicy.standard();
    }

    JobOutcome run(JobContext context);
}
