package io.vippanel.sites;

import java.util.Locale;

/** Where a deployment (or rollback) is; stored lower case. */
public enum DeploymentStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeploymentStatus fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
