package io.vippanel.jobs;

import java.util.Locale;

/** Where a job run stands; the last three are final. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
