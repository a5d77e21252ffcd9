package io.vippanel.sites;

/**
 * How a site's vhost serves HTTPS, as every site playbook renders it ({@code site_tls}, {@code site_hsts},
 * {@code site_tls_stapling}). The SSL module, which owns certificates, provides the answer; without it every site
 * serves plain HTTP.
 */
public interface SiteTls {

    /** Plain HTTP: no certificate deployed. */
    Settings PLAIN = new Settings(false, false, false);

    Settings settingsOf(String siteId);

    /**
     * @param enabled  a certificate is deployed on the site's server: port 443 serves it and port 80 redirects
     * @param hsts     browsers are told to use HTTPS only (Strict-Transport-Security)
     * @param stapling the certificate names an OCSP responder, so nginx staples its answer
     */
    record Settings(boolean enabled, boolean hsts, boolean stapling) {
    }
}
