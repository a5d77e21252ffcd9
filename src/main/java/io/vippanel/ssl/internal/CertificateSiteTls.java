package io.vippanel.ssl.internal;

import io.vippanel.sites.SiteTls;
import io.vippanel.tenancy.SystemTransactions;
import org.springframework.stereotype.Component;

/** A site serves HTTPS once its certificate is deployed; every site playbook renders the vhost that way from then on. */
@Component
class CertificateSiteTls implements SiteTls {

    private final CertificateRepository repository;
    private final SystemTransactions tx;

    CertificateSiteTls(CertificateRepository repository, SystemTransactions tx) {
        this.repository = repository;
        this.tx = tx;
    }

    @Override
    public Settings settingsOf(String siteId) {
        return tx.call(() -> repository.tlsSettings(siteId));
    }
}
