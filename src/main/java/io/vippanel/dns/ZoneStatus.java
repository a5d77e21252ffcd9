package io.vippanel.dns;

import java.util.Locale;

/** Where a zone stands with its provider. */
public enum ZoneStatus {
    /** Created in the panel; the provider does not hold it yet. */
    PENDING,
    /** The provider holds it and every change the panel made has been applied and answered. */
    ACTIVE,
    /** Changes are being applied, or waiting for the servers to answer them. */
    SYNCING,
    /** The last change failed; {@code statusNote} says why, the records keep waiting. */
    FAILED,
    DELETING;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ZoneStatus of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
