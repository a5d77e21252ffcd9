package io.vippanel.jobs;

import io.vippanel.platform.AuditEvent;
import java.util.Map;

/** What a running job sees: its record, its log, whether it has been asked to stop, and the audit trail. */
public interface JobContext {

    Job job();

    /** 1 for the first try; a retry or a pick-up after a lost worker counts up. */
    int attempt();

    /** Appends a line to the job's log (and so to every browser watching), with registered secrets masked. */
    void log(JobLogLevel level, String line);

    default void info(String line) {
        log(JobLogLevel.INFO, line);
    }

    default void warn(String line) {
        log(JobLogLevel.WARN, line);
    }

    default void error(String line) {
        log(JobLogLevel.ERROR, line);
    }

    /** Masks {@code secret} in every later log line and in the stored result of this run. */
    void redact(String secret);

    /** Whether a user asked to cancel this job; long work polls it and stops promptly. */
    boolean cancelRequested();

    /** Ends the run as cancelled when a cancel was requested. */
    default void stopIfCancelled() {
        if (cancelRequested()) {
            throw new JobCancelled();
        }
    }

    /** Records a privileged or security-relevant finding of this job in the audit trail, as the system. */
    void audit(String action, AuditEvent.Outcome outcome, Map<String, ?> details);
}
