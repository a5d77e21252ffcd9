package io.vippanel.ssl.internal;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.jobs.RecurringWork;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateSource;
import io.vippanel.ssl.CertificateStatus;
import io.vippanel.ssl.internal.acme.AcmeAccount;
import io.vippanel.ssl.internal.acme.AcmeFailure;
import io.vippanel.ssl.internal.acme.AcmeIssuer;
import io.vippanel.ssl.internal.acme.RenewalWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Renews ACME certificates without anyone noticing: asks the CA for its renewal window (ARI) where it offers one,
 * and queues a renewal for every certificate whose time has come and that is not waiting out a failed attempt's
 * backoff.
 */
@Component
class RenewalSweep implements RecurringWork {

    private static final Logger log = LoggerFactory.getLogger(RenewalSweep.class);

    private final CertificateWork work;
    private final AcmeAccountSettings accounts;
    private final AcmeIssuer issuer;
    // Looked up when the sweep runs: the job scheduler that owns Jobs needs every recurring work first.
    private final ObjectProvider<Jobs> jobs;

    RenewalSweep(CertificateWork work, AcmeAccountSettings accounts, AcmeIssuer issuer, ObjectProvider<Jobs> jobs) {
        this.work = work;
        this.accounts = accounts;
        this.issuer = issuer;
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "ssl.renewal-sweep";
    }

    @Override
    public Duration every() {
        return work.settings().renewalInterval();
    }

    @Override
    public void run() {
        Instant now = work.clock().instant();
        settleStalled();
        askRenewalInfo(now);
        for (String id : work.read(repository -> repository.dueForRenewal(now))) {
            renew(id);
        }
    }

    /** Queues the renewal of a certificate; the certificate page and the job show it from here on. */
    Job renew(String id) {
        Certificate certificate = work.reload(id).view();
        return work.transactions().call(() -> {
            Job job = jobs.getObject().enqueue(new NewJob(certificate.tenantId(), CertificateJobTypes.ISSUE, "Renew the certificate of "
                    + certificate.domain(), "certificate", id, Map.of("renewal", true), null));
            work.repository().setStatus(id, CertificateStatus.PENDING, "Renewal due", work.clock().instant());
            work.repository().setLastJob(id, job.id());
            return job;
        });
    }

    /**
     * A certificate whose job ended without moving it on (cancelled, possibly before it ran) would otherwise wait for
     * that job forever: it fails, and a renewal waits out the backoff.
     */
    private void settleStalled() {
        for (Certificate certificate : work.read(CertificateRepository::working)) {
            String jobId = certificate.lastJobId();
            boolean finished = jobId == null || work.transactions().call(() -> jobs.getObject().statusOf(jobId))
                    .map(JobStatus::isFinal).orElse(true);
            if (finished) {
                boolean renewal = certificate.deployed() && certificate.source() == CertificateSource.ACME;
                int failures = renewal ? certificate.renewalFailures() + 1 : certificate.renewalFailures();
                Instant next = renewal ? work.clock().instant().plus(CertificateWork.backoff(failures)) : null;
                work.update(repository -> repository.failed(certificate.id(), "The job ended before the certificate was in place "
                        + "(it was cancelled); issue or renew it again.", failures, next, work.clock().instant()));
            }
        }
    }

    private void askRenewalInfo(Instant now) {
        List<String> due = work.read(repository -> repository.renewalInfoDue(now.minus(work.settings().renewalInfoInterval())));
        if (due.isEmpty()) {
            return;
        }
        Optional<AcmeAccount> account;
        try {
            account = accounts.platformAccount();
        } catch (AcmeFailure e) {
            log.warn("Cannot ask the CA for renewal information: {}", e.userMessage());
            return;
        }
        if (account.isEmpty() || !account.get().directory().offersRenewalInfo()) {
            return;
        }
        for (String id : due) {
            CertificateRepository.Stored stored = work.reload(id);
            try {
                Optional<RenewalWindow> window = stored.chainPem() == null ? Optional.empty()
                        : issuer.renewalWindow(account.get(), stored.chainPem());
                Instant renewAfter = window.map(RenewalSweep::pick).orElse(stored.view().renewAfter());
                work.update(repository -> repository.setRenewAfter(id, renewAfter, now));
            } catch (AcmeFailure e) {
                // The stored time stays; the next sweep asks again.
                log.warn("Renewal information for {} could not be read: {}", stored.view().domain(), e.userMessage());
            }
        }
    }

    /** A random time in the window, as RFC 9773 asks, so that many clients do not renew at the same second. */
    static Instant pick(RenewalWindow window) {
        long span = Duration.between(window.start(), window.end()).toMillis();
        return span <= 0 ? window.start() : window.start().plusMillis(ThreadLocalRandom.current().nextLong(span));
    }
}
