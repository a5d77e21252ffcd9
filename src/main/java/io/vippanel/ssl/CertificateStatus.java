package io.vippanel.ssl;

import java.util.Locale;

/** Where a site's certificate is: asked for, being ordered, being put on the server, served, or stopped by a failure. */
public enum CertificateStatus {
    PENDING,
    ISSUING,
    DEPLOYING,
    VALID,
    FAILED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CertificateStatus fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** A job is working on the certificate. */
    public boolean working() {
        return this == PENDING || this == ISSUING || this == DEPLOYING;
    }
}
