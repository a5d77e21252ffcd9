package io.vippanel.ssl.internal;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.sites.SitePlaybooks;
import io.vippanel.sites.SitePlaybooks.SiteHost;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateSource;
import io.vippanel.ssl.CertificateStatus;
import io.vippanel.ssl.internal.cert.CertificateSummary;
import io.vippanel.ssl.internal.cert.DeployedChain;
import io.vippanel.ssl.internal.cert.ServedCertificate;
import io.vippanel.ssl.internal.cert.ServedCertificateProbe;
import io.vippanel.tenancy.SystemTransactions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the certificate jobs share: the certificate in the system scope, its status, putting a certificate on the
 * site's server ({@code site-tls.yml}: nginx checked before it reloads), and the check from outside that port 443
 * serves it, which ends every job that deploys.
 */
@Component
public class CertificateWork {

    public static final EncryptedColumn PRIVATE_KEY = new EncryptedColumn("certificates", "id", "private_key");
    static final String TLS_PLAYBOOK = "site-tls.yml";
    static final String CHALLENGE_PLAYBOOK = "site-acme-challenge.yml";
    private static final Duration PLAYBOOK_TIMEOUT = Duration.ofMinutes(5);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final CertificateRepository repository;
    private final SystemTransactions tx;
    private final SitePlaybooks sites;
    private final SecretBox secrets;
    private final CertificateAlerts alerts;
    private final ServedCertificateProbe probe;
    private final VipProperties.Ssl settings;
    private final Clock clock;

    public CertificateWork(CertificateRepository repository, SystemTransactions tx, SitePlaybooks sites, SecretBox secrets,
                           CertificateAlerts alerts, ServedCertificateProbe probe, VipProperties properties, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.sites = sites;
        this.secrets = secrets;
        this.alerts = alerts;
        this.probe = probe;
        this.settings = properties.ssl();
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public SitePlaybooks sites() {
        return sites;
    }

    public VipProperties.Ssl settings() {
        return settings;
    }

    public SystemTransactions transactions() {
        return tx;
    }

    public CertificateRepository repository() {
        return repository;
    }

    public <T> T read(Function<CertificateRepository, T> read) {
        return tx.call(() -> read.apply(repository));
    }

    public void update(Consumer<CertificateRepository> change) {
        tx.run(() -> change.accept(repository));
    }

    /** The job's certificate with its secret parts; a job whose certificate (or site) is gone fails for good. */
    public CertificateRepository.Stored load(JobContext job) {
        String id = job.job().targetId();
        if (id == null) {
            throw JobFailure.permanent("The job names no certificate.");
        }
        return reload(id);
    }

    public CertificateRepository.Stored reload(String id) {
        return read(repository -> repository.stored(id))
                .orElseThrow(() -> JobFailure.permanent("Certificate " + id + " no longer exists (its site was deleted)."));
    }

    public void status(String id, CertificateStatus status, @Nullable String note) {
        update(repository -> repository.setStatus(id, status, note, clock.instant()));
    }

    /** Seals the private key to the row and stores the certificate as the one to deploy. */
    public void store(String id, CertificateSource source, String chainPem, String privateKeyPem, @Nullable Instant renewAfter,
                      Map<String, Long> timings) {
        CertificateSummary leaf = DeployedChain.leaf(chainPem);
        CertificateRepository.Material material = new CertificateRepository.Material(source, chainPem,
                secrets.encrypt(privateKeyPem, PRIVATE_KEY.boundTo(id)), leaf.serialHex(), leaf.sha256Fingerprint(), leaf.issuer(),
                leaf.dnsNames(), leaf.notBefore(), leaf.notAfter(), DeployedChain.hasOcspResponder(chainPem), renewAfter);
        update(repository -> repository.store(id, material, timings, clock.instant()));
    }

    public String privateKey(CertificateRepository.Stored stored) {
        if (stored.sealedKey() == null) {
            throw JobFailure.permanent("The certificate has no private key stored.");
        }
        return secrets.decrypt(stored.sealedKey(), PRIVATE_KEY.boundTo(stored.view().id()));
    }

    /**
     * Puts the stored certificate on the site's server and checks from outside that port 443 serves it; the
     * certificate is valid only then.
     */
    public JobOutcome deployAndCheck(JobContext job, String id, Map<String, Long> timings) {
        CertificateRepository.Stored stored = reload(id);
        Certificate certificate = stored.view();
        SiteHost site = sites.site(certificate.siteId());
        status(id, CertificateStatus.DEPLOYING, "Putting the certificate on the server");
        long start = System.nanoTime();
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("tls_state", "present");
        vars.put("tls_fullchain", stored.chainPem());
        vars.put("tls_private_key", privateKey(stored));
        // The vhost is rendered with HTTPS on now; the certificate counts as deployed only after the check below.
        vars.put("site_tls", true);
        vars.put("site_hsts", certificate.hsts());
        vars.put("site_tls_stapling", certificate.ocspStapling());
        job.info("Deploying the certificate (serial " + certificate.serial() + ") to " + site.domain() + "'s server.");
        // A refusal (nginx -t) fails the job here, with the previous configuration still served.
        sites.run(job, site.id(), TLS_PLAYBOOK, vars, Set.of("tls_private_key"), PLAYBOOK_TIMEOUT);
        timings.put("deploy", elapsedMillis(start));

        start = System.nanoTime();
        Certificate.Served served = checkServed(certificate, site);
        timings.put("check", elapsedMillis(start));
        update(repository -> repository.recordServed(id, served));
        if (!served.matchesIssued()) {
            throw JobFailure.retryable("Port 443 of " + site.domain() + " does not serve the new certificate: " + served.problem());
        }
        job.info("Port 443 of " + site.domain() + " serves the certificate (serial " + served.serial() + ", asked at "
                + served.address() + ").");
        update(repository -> repository.markDeployed(id, timings, clock.instant()));
        alerts.resolve(reload(id).view());
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("site", site.domain());
        outcome.put("serial", certificate.serial());
        outcome.put("notAfter", String.valueOf(certificate.notAfter()));
        outcome.put("names", certificate.certNames());
        // Renewals run without a person: the audit trail records every certificate that went live.
        job.audit("certificate.deployed", AuditEvent.Outcome.SUCCESS, outcome);
        outcome.put("timingsMs", timings);
        return new JobOutcome("The certificate for " + site.domain() + " is served on port 443 (serial " + certificate.serial()
                + ", valid until " + (certificate.notAfter() == null ? "?" : DAY.format(certificate.notAfter())) + ").", outcome);
    }

    /**
     * Connects to the site's port 443 with SNI as a visitor does (the domain as DNS resolves it, or the site's server
     * when the name does not resolve from here) and compares what it serves with the deployed certificate.
     */
    public Certificate.Served checkServed(Certificate certificate, SiteHost site) {
        String domain = site.domain();
        String address = resolves(domain) || site.addresses().isEmpty() ? null : site.addresses().getFirst();
        ServedCertificate seen = address == null ? probe.probe(domain) : probe.probe(domain, address, ServedCertificateProbe.HTTPS_PORT);
        Instant now = clock.instant();
        String askedAt = address == null ? domain : address;
        return switch (seen) {
            case ServedCertificate.Unavailable unavailable -> new Certificate.Served(now, askedAt, null, null, null, List.of(), null,
                    null, false, "nothing could be seen: " + unavailable.reason());
            case ServedCertificate.Presented presented -> {
                CertificateSummary leaf = presented.certificate();
                boolean matches = certificate.fingerprint() != null && certificate.serial() != null
                        && presented.serves(certificate.fingerprint(), certificate.serial());
                String problem = null;
                if (!matches) {
                    problem = "it serves another certificate (serial " + leaf.serialHex() + ", issued by " + leaf.issuer()
                            + ") than the one the panel deployed (serial " + certificate.serial() + ")";
                } else if (presented.expiresWithinDays(settings.servedExpiryWarningDays(), now)) {
                    problem = "the certificate it serves expires " + DAY.format(leaf.notAfter());
                } else if (!presented.trusted()) {
                    problem = "browsers would not trust it: " + presented.trustProblem();
                }
                yield new Certificate.Served(now, askedAt, leaf.serialHex(), leaf.sha256Fingerprint(),
                        leaf.issuer(), leaf.dnsNames(), leaf.notAfter(), presented.trusted(), matches, problem);
            }
        };
    }

    /**
     * Records a failure: while the job will try again only the note changes; when it ends the job, the certificate
     * is failed (a deployed one stays served), a renewal waits out its backoff, and the tenant's admins are told.
     */
    public JobFailure failing(JobContext job, String id, JobFailure failure, boolean renewal) {
        boolean last = !failure.retryable() || job.attempt() >= job.job().maxAttempts();
        if (!last) {
            status(id, CertificateStatus.ISSUING, "Attempt " + job.attempt() + " failed (" + failure.getMessage() + "); trying again.");
            return failure;
        }
        Certificate certificate = reload(id).view();
        int failures = renewal ? certificate.renewalFailures() + 1 : certificate.renewalFailures();
        Instant next = renewal ? clock.instant().plus(backoff(failures)) : null;
        update(repository -> repository.failed(id, failure.getMessage(), failures, next, clock.instant()));
        job.audit("certificate.failed", AuditEvent.Outcome.FAILURE, Map.of("site", certificate.domain(), "renewal", renewal,
                "reason", String.valueOf(failure.getMessage())));
        alerts.raise(reload(id).view(), (renewal ? "Renewing the certificate failed" : "The certificate could not be put in place")
                + ": " + failure.getMessage() + (next == null ? "" : " The panel tries again after " + DAY.format(next) + "."));
        return failure;
    }

    /** 1 h after the first failed renewal, doubling up to a day. */
    static Duration backoff(int failures) {
        Duration doubled = Duration.ofHours(1L << Math.min(Math.max(failures - 1, 0), 5));
        return doubled.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : doubled;
    }

    /** When to renew without the CA's advice: {@code renewBefore} ahead of expiry, at most a third of the lifetime. */
    public Instant renewalTime(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        Duration ahead = settings.renewBefore().compareTo(lifetime.dividedBy(3)) < 0 ? settings.renewBefore() : lifetime.dividedBy(3);
        return notAfter.minus(ahead);
    }

    static long elapsedMillis(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    private static boolean resolves(String host) {
        try {
            InetAddress.getAllByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
