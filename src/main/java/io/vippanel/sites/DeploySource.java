package io.vippanel.sites;

import java.util.Locale;

/** Where a site's code comes from: a git branch, an uploaded archive (static sites), or nothing yet. */
public enum DeploySource {
    GIT,
    ARCHIVE,
    NONE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeploySource fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
