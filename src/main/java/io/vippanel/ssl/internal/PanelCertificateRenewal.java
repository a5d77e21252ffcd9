package io.vippanel.ssl.internal;

import io.vippanel.jobs.RecurringWork;
import io.vippanel.ssl.PanelCertificate;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keeps the panel's own certificate current when {@code vip.ssl.panel-hostname} is set: the worker that runs it must
 * be on the host whose nginx serves the panel (a single-host install), as it writes the files nginx reads.
 */
@Component
class PanelCertificateRenewal implements RecurringWork {

    private static final Logger log = LoggerFactory.getLogger(PanelCertificateRenewal.class);

    private final ObjectProvider<PanelCertificate> certificate;
    private final CertificateWork work;

    PanelCertificateRenewal(ObjectProvider<PanelCertificate> certificate, CertificateWork work) {
        this.certificate = certificate;
        this.work = work;
    }

    @Override
    public String name() {
        return "ssl.panel-certificate";
    }

    @Override
    public Duration every() {
        return work.settings().renewalInterval();
    }

    @Override
    public void run() {
        PanelCertificate panel = certificate.getObject();
        if (panel.hostname().isEmpty()) {
            return;
        }
        try {
            PanelCertificate.Outcome outcome = panel.renew(false, log::info);
            if (outcome.issued()) {
                log.info("The panel's certificate for {} was renewed: serial {}, valid until {}.", panel.hostname().get(),
                        outcome.serial(), outcome.notAfter());
            }
        } catch (RuntimeException e) {
            // The next run tries again; the certificate in place keeps serving until it expires.
            log.warn("Renewing the panel's own certificate failed: {}", e.getMessage());
        }
    }
}
