package io.vippanel.ssl.internal;

import io.vippanel.jobs.RecurringWork;
import io.vippanel.sites.SitePlaybooks.SiteHost;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Looks at every site with a deployed certificate the way a visitor does (port 443, SNI) and records what it serves;
 * another certificate than the deployed one, one that browsers would not trust, or an expiry within days raises an
 * alert, which the next good check resolves.
 */
@Component
class ServedCheckSweep implements RecurringWork {

    private static final Logger log = LoggerFactory.getLogger(ServedCheckSweep.class);

    private final CertificateWork work;
    private final CertificateAlerts alerts;

    ServedCheckSweep(CertificateWork work, CertificateAlerts alerts) {
        this.work = work;
        this.alerts = alerts;
    }

    @Override
    public String name() {
        return "ssl.served-check";
    }

    @Override
    public Duration every() {
        return work.settings().servedCheckInterval();
    }

    @Override
    public void run() {
        for (String id : work.read(CertificateRepository::deployed)) {
            try {
                check(id);
            } catch (RuntimeException e) {
                // One site must not keep the others from being checked; the next sweep tries again.
                log.warn("Served-certificate check of {} failed: {}", id, e.getMessage());
            }
        }
    }

    /** Checks one certificate now and returns what was served. */
    Certificate.Served check(String id) {
        Certificate certificate = work.reload(id).view();
        SiteHost site = work.sites().site(certificate.siteId());
        Certificate.Served served = work.checkServed(certificate, site);
        work.update(repository -> repository.recordServed(id, served));
        if (certificate.status().working()) {
            // A job is deploying a new certificate right now; it checks port 443 itself when it is done.
            return served;
        }
        if (served.problem() != null) {
            alerts.raise(certificate, "Port 443 of " + site.domain() + ": " + served.problem() + ".");
        } else if (certificate.status() == CertificateStatus.VALID) {
            alerts.resolve(certificate);
        }
        return served;
    }
}
