package io.vippanel.sites;

import java.util.Locale;

/**
 * Where a site's code comes from: a git branch, an uploaded archive (static sites), WordPress core from the archive the
 * platform configures (a WordPress site the panel installed), or nothing yet.
 */
public enum DeploySource {
    GIT,
    ARCHIVE,
    WORDPRESS,
    NONE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeploySource fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
