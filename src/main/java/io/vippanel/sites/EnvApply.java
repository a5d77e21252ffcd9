package io.vippanel.sites;

import java.util.Locale;

/**
 * What happens on the server after a site's {@code .env} changed: the file is only written, written and the site's
 * processes reloaded (PHP-FPM, the Node.js app, workers), or a new deployment picks it up.
 */
public enum EnvApply {
    WRITE,
    RELOAD,
    DEPLOY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named by {@code key} ({@code write}, {@code reload}, {@code deploy}; blank means write), if any. */
    public static java.util.Optional<EnvApply> fromKey(@org.jspecify.annotations.Nullable String key) {
        String text = key == null || key.isBlank() ? WRITE.name() : key.strip().toUpperCase(Locale.ROOT);
        for (EnvApply apply : values()) {
            if (apply.name().equals(text)) {
                return java.util.Optional.of(apply);
            }
        }
        return java.util.Optional.empty();
    }
}
