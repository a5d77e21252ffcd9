package io.vippanel.sites.web;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The tabs of a site's page, each a fragment of its own ({@code ?tab=<key>}). */
public enum SiteTab {
    OVERVIEW("Overview"),
    DEPLOYMENTS("Deployments"),
    ENVIRONMENT("Environment"),
    DATABASES("Databases"),
    CRON("Cron"),
    WORKERS("Workers"),
    WAF("WAF"),
    SETTINGS("Settings");

    private final String label;

    SiteTab(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tab named {@code key}; none named means the overview, an unknown name is a 404 like an unknown page. */
    static @Nullable SiteTab fromKey(@Nullable String key) {
        if (key == null || key.isBlank()) {
            return OVERVIEW;
        }
        for (SiteTab tab : values()) {
            if (tab.key().equals(key)) {
                return tab;
            }
        }
        return null;
    }
}
