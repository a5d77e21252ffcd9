package io.vippanel.servers;

import java.util.Locale;

/** Where a server is in its life; stored lower case. */
public enum ServerStatus {
    QUEUED,
    PROVISIONING,
    READY,
    FAILED,
    DELETING;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServerStatus fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** Whether a job is working on the server right now, so that a second lifecycle action must wait. */
    public boolean busy() {
        return this == QUEUED || this == PROVISIONING || this == DELETING;
    }
}
