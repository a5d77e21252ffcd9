package io.vippanel.sites;

import java.util.Locale;

/** Where a site is in its life; stored lower case, changed only by its jobs. */
public enum SiteStatus {
    QUEUED,
    CREATING,
    READY,
    SUSPENDED,
    FAILED,
    DELETING;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SiteStatus fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** Whether a lifecycle job is working on the site right now. */
    public boolean busy() {
        return this == QUEUED || this == CREATING || this == DELETING;
    }
}
