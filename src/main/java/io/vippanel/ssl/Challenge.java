package io.vippanel.ssl;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the CA is shown that the site's names are the customer's: HTTP-01 (a file served by the site's nginx) or
 * DNS-01 (a TXT record in the domain's managed zone, which wildcards need); automatic picks DNS-01 for a wildcard
 * and HTTP-01 otherwise.
 */
public enum Challenge {
    AUTOMATIC("automatic"),
    HTTP_01("http-01"),
    DNS_01("dns-01");

    private final String key;

    Challenge(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static @Nullable Challenge fromKey(@Nullable String key) {
        if (key == null || key.isBlank()) {
            return AUTOMATIC;
        }
        for (Challenge challenge : values()) {
            if (challenge.key.equals(key.strip().toLowerCase(Locale.ROOT))) {
                return challenge;
            }
        }
        return null;
    }
}
