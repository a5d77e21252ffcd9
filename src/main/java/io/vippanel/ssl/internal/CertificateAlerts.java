package io.vippanel.ssl.internal;

import io.vippanel.identity.Users;
import io.vippanel.platform.Mailer;
import io.vippanel.ssl.Certificate;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the tenant's admins about a certificate that needs them (a renewal that failed, port 443 serving something
 * else, an expiry within days): the alert stays on the certificate and the dashboard until it is resolved, and each
 * new problem is mailed once to the active users of the site's tenant.
 */
@Component
public class CertificateAlerts {

    private static final Logger log = LoggerFactory.getLogger(CertificateAlerts.class);

    private final CertificateRepository repository;
    private final SystemTransactions tx;
    private final Users users;
    private final Mailer mailer;
    private final Clock clock;

    CertificateAlerts(CertificateRepository repository, SystemTransactions tx, Users users, Mailer mailer, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.users = users;
        this.mailer = mailer;
        this.clock = clock;
    }

    public void raise(Certificate certificate, String problem) {
        if (problem.equals(certificate.alert())) {
            return;
        }
        List<String> recipients = tx.call(() -> {
            repository.setAlert(certificate.id(), problem, clock.instant());
            return users.alertRecipients(certificate.tenantId());
        });
        log.warn("certificate {} of {}: {}", certificate.id(), certificate.domain(), problem);
        String subject = "Certificate of " + certificate.domain() + " needs attention";
        String body = problem + "\n\nSee the certificate in VIP Hosting Panel: /ssl/sites/" + certificate.siteId() + "\n";
        recipients.forEach(recipient -> mailer.send(recipient, subject, body));
    }

    /** The certificate is fine again. */
    public void resolve(Certificate certificate) {
        if (certificate.alert() != null) {
            tx.run(() -> repository.setAlert(certificate.id(), null, clock.instant()));
        }
    }
}
