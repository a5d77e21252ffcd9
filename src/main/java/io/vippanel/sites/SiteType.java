package io.vippanel.sites;

import java.util.Locale;

/** What runs a site; picks its vhost template, its process (PHP-FPM pool or Node.js service) and its presets. */
public enum SiteType {
    STATIC("Static"),
    PHP("PHP"),
    LARAVEL("Laravel"),
    WORDPRESS("WordPress"),
    NODEJS("Node.js");

    private final String label;

    SiteType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SiteType fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** Whether the site runs PHP through its own PHP-FPM pool. */
    public boolean usesPhp() {
        return this == PHP || this == LARAVEL || this == WORDPRESS;
    }
}
