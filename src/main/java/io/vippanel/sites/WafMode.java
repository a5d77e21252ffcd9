package io.vippanel.sites;

import java.util.Locale;

/** ModSecurity with the OWASP Core Rule Set for one site: off, logging only, or blocking. */
public enum WafMode {
    OFF,
    DETECT,
    BLOCK;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WafMode fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
