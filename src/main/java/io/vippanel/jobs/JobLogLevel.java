package io.vippanel.jobs;

import java.util.Locale;

/** How a job log line reads: routine, worth a look, or a failure. */
public enum JobLogLevel {
    DEBUG, INFO, WARN, ERROR;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobLogLevel of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
