package io.vippanel.ssl;

import java.util.Locale;

/** Who made the certificate: the panel's ACME CA (renewed by the panel) or the customer (uploaded, renewed by them). */
public enum CertificateSource {
    ACME,
    CUSTOM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CertificateSource fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
