package io.vippanel.ssl;

import org.jspecify.annotations.Nullable;

/**
 * A certificate the customer brings for a site.
 *
 * @param certificate the site's certificate (PEM); a full chain here is accepted too
 * @param chain       the intermediate certificates (PEM), blank when none are given separately
 * @param privateKey  the unencrypted private key (PEM)
 */
public record CustomCertificate(@Nullable String certificate, @Nullable String chain, @Nullable String privateKey,
                                @Nullable Boolean hsts) {

    @Override
    public String toString() {
        return "CustomCertificate[privateKey=(hidden), hsts=" + hsts + "]";
    }
}
