package io.vippanel.jobs;

/** Thrown by a job that noticed a cancel request; the run ends as cancelled, not failed. */
public class JobCancelled extends RuntimeException {

    public JobCancelled() {
        super("cancelled", null, false, false);
    }
}
