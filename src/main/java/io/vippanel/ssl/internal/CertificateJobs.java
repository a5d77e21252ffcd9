package io.vippanel.ssl.internal;

import io.vippanel.dns.DnsChallenges;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.sites.SitePlaybooks.SiteHost;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateSource;
import io.vippanel.ssl.CertificateStatus;
import io.vippanel.ssl.Challenge;
import io.vippanel.ssl.internal.acme.AcmeAccount;
import io.vippanel.ssl.internal.acme.AcmeFailure;
import io.vippanel.ssl.internal.acme.AcmeIssuer;
import io.vippanel.ssl.internal.acme.CertificateKeyType;
import io.vippanel.ssl.internal.acme.CertificateRequest;
import io.vippanel.ssl.internal.acme.ChallengeChoice;
import io.vippanel.ssl.internal.acme.IssuanceListener;
import io.vippanel.ssl.internal.acme.IssuanceStep;
import io.vippanel.ssl.internal.acme.IssuedCertificate;
import io.vippanel.ssl.internal.acme.RenewalWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The jobs that put a certificate on a site: order it from the CA (first time or renewal), or deploy an upload. */
final class CertificateJobs {

    /** A CA outage or a propagation timeout is tried twice more within the job; a renewal then waits for its backoff. */
    static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ofSeconds(15), Duration.ofMinutes(2));

    private CertificateJobs() {
    }

    @Component
    static final class IssueJob implements JobType {

        private final CertificateWork work;
        private final AcmeAccountSettings accounts;
        private final AcmeIssuer issuer;
        // Looked up when a job runs: DnsChallenges queues jobs itself, and the job scheduler needs every job type first.
        private final ObjectProvider<DnsChallenges> dns;

        IssueJob(CertificateWork work, AcmeAccountSettings accounts, AcmeIssuer issuer, ObjectProvider<DnsChallenges> dns) {
            this.work = work;
            this.accounts = accounts;
            this.issuer = issuer;
            this.dns = dns;
        }

        @Override
        public String name() {
            return CertificateJobTypes.ISSUE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            CertificateRepository.Stored stored = work.load(job);
            Certificate certificate = stored.view();
            boolean renewal = job.job().params().path("renewal").asBoolean(false);
            try {
                return issue(job, stored, renewal);
            } catch (AcmeFailure e) {
                throw work.failing(job, certificate.id(), jobFailure(e), renewal);
            } catch (JobFailure e) {
                throw work.failing(job, certificate.id(), e, renewal);
            }
        }

        private JobOutcome issue(JobContext job, CertificateRepository.Stored stored, boolean renewal) {
            Certificate certificate = stored.view();
            SiteHost site = work.sites().site(certificate.siteId());
            work.status(certificate.id(), CertificateStatus.ISSUING, renewal ? "Renewing with the CA" : "Ordering from the CA");
            AcmeAccount account = accounts.platformAccount().orElseThrow(() -> JobFailure.permanent(
                    "The platform has no ACME account yet: an administrator makes it on the ACME account page (/ssl/acme)."));
            String replaces = renewal && stored.chainPem() != null && certificate.source() == CertificateSource.ACME ? stored.chainPem() : null;
            CertificateRequest request = new CertificateRequest(certificate.names(), choice(certificate.challenge()),
                    CertificateKeyType.EC_P256, replaces);
            Map<String, Long> timings = new LinkedHashMap<>();
            job.info((renewal ? "Renewing" : "Ordering") + " a certificate for " + String.join(", ", request.names()) + " from "
                    + account.directory().url() + ".");
            IssuedCertificate issued = issuer.issue(account, request, new SiteChallengeResponder(job, site, work.sites(), dns.getObject(), timings),
                    listener(job, timings));
            job.info("The CA issued serial " + issued.serial() + ", valid until " + issued.notAfter() + ".");
            work.store(certificate.id(), CertificateSource.ACME, issued.chainPem(), issued.privateKeyPem(),
                    renewAfter(job, account, issued), timings);
            return work.deployAndCheck(job, certificate.id(), timings);
        }

        /** A random time in the CA's renewal window when it offers one (as the CA asks), else the panel's own rule. */
        private Instant renewAfter(JobContext job, AcmeAccount account, IssuedCertificate issued) {
            try {
                Optional<RenewalWindow> window = issuer.renewalWindow(account, issued.chainPem());
                if (window.isPresent()) {
                    return RenewalSweep.pick(window.get());
                }
            } catch (AcmeFailure e) {
                job.warn("The CA's renewal information could not be read (" + e.userMessage() + "); renewing "
                        + work.settings().renewBefore().toDays() + " days before expiry.");
            }
            return work.renewalTime(issued.notBefore(), issued.notAfter());
        }

        private static IssuanceListener listener(JobContext job, Map<String, Long> timings) {
            return new IssuanceListener() {
                @Override
                public void started(IssuanceStep step, String detail) {
                    job.info(label(step) + ": " + detail);
                }

                @Override
                public void finished(IssuanceStep step, Duration took) {
                    String key = step.name().toLowerCase(Locale.ROOT);
                    // The challenge step includes publishing the answers; DNS propagation is its own figure.
                    long millis = took.toMillis() - (step == IssuanceStep.CHALLENGE ? timings.getOrDefault("dns", 0L) : 0L);
                    timings.put(key, Math.max(millis, 0));
                    job.info(label(step) + " done in " + took.toMillis() + " ms.");
                }
            };
        }

        private static String label(IssuanceStep step) {
            return switch (step) {
                case ORDER -> "Order";
                case CHALLENGE -> "Challenges";
                case FINALIZE -> "Finalize";
                case DOWNLOAD -> "Download";
            };
        }

        private static ChallengeChoice choice(Challenge challenge) {
            return switch (challenge) {
                case AUTOMATIC -> ChallengeChoice.AUTOMATIC;
                case HTTP_01 -> ChallengeChoice.HTTP_01;
                case DNS_01 -> ChallengeChoice.DNS_01;
            };
        }

        /** The CA's refusals need a person; outages, rate limits and slow validations are tried again. */
        private static JobFailure jobFailure(AcmeFailure e) {
            if (e.getCause() instanceof JobFailure failure) {
                return failure;
            }
            return switch (e.reason()) {
                case RATE_LIMITED, UNREACHABLE, TIMED_OUT, RESPONDER_FAILED -> JobFailure.retryable(e.userMessage());
                case TERMS_NOT_ACCEPTED, UNAUTHORIZED, CHALLENGE_FAILED, REFUSED -> JobFailure.permanent(e.userMessage());
            };
        }
    }

    @Component
    static final class DeployCustomJob implements JobType {

        private final CertificateWork work;

        DeployCustomJob(CertificateWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return CertificateJobTypes.DEPLOY_CUSTOM;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            String id = work.load(job).view().id();
            try {
                return work.deployAndCheck(job, id, new LinkedHashMap<>());
            } catch (JobFailure e) {
                throw work.failing(job, id, e, false);
            }
        }
    }
}
