package io.vippanel.ssl;

import io.vippanel.dns.DnsChallenges;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.sites.Site;
import io.vippanel.sites.SitePlaybooks;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.Sites;
import io.vippanel.ssl.internal.CertificateJobTypes;
import io.vippanel.ssl.internal.CertificateRepository;
import io.vippanel.ssl.internal.CertificateWork;
import io.vippanel.ssl.internal.cert.CertificateUpload;
import io.vippanel.ssl.internal.cert.CustomCertificateValidator;
import io.vippanel.ssl.internal.cert.ValidatedCertificate;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sites' certificates: issue one from the platform's ACME CA (HTTP-01, or DNS-01 through a managed zone, which
 * wildcards need), renew it now, or upload a custom one; each writes the certificate row and queues its job in one
 * transaction. The renewal sweep and the served-certificate check keep them valid afterwards.
 */
@Service
public class Certificates {

    public static final int MAX_PAGE = 200;

    private final CertificateRepository repository;
    private final Sites sites;
    private final SitePlaybooks sitePlaybooks;
    private final DnsChallenges dns;
    private final CustomCertificateValidator validator;
    private final CertificateWork work;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public Certificates(CertificateRepository repository, Sites sites, SitePlaybooks sitePlaybooks, DnsChallenges dns,
                        CustomCertificateValidator validator, CertificateWork work, Jobs jobs,
                        ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.sites = sites;
        this.sitePlaybooks = sitePlaybooks;
        this.dns = dns;
        this.validator = validator;
        this.work = work;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    /** A certificate with the job that works on it. */
    public record Queued(Certificate certificate, Job job) {
    }

    @Transactional(readOnly = true)
    public List<Certificate> list(Actor actor, int limit, int offset) {
        AccessPolicy.require(actor, Permission.SSL_VIEW);
        Validation.requirePage(limit, offset, MAX_PAGE);
        return repository.list(actor.actingTenantPath(), limit, offset);
    }

    @Transactional(readOnly = true)
    public long count(Actor actor) {
        AccessPolicy.require(actor, Permission.SSL_VIEW);
        return repository.count(actor.actingTenantPath());
    }

    @Transactional(readOnly = true)
    public Certificate get(Actor actor, String certificateId) {
        AccessPolicy.require(actor, Permission.SSL_VIEW);
        return repository.find(actor.actingTenantPath(), certificateId).orElseThrow(() -> new NotFound("certificate", certificateId));
    }

    /** The site's certificate, or empty while it has none; the site must be visible. */
    @Transactional(readOnly = true)
    public Optional<Certificate> forSite(Actor actor, String siteId) {
        AccessPolicy.require(actor, Permission.SSL_VIEW);
        Site site = sites.get(actor, siteId);
        return repository.findBySite(actor.actingTenantPath(), site.id());
    }

    /** Certificates with an alert, for the dashboard. */
    @Transactional(readOnly = true)
    public List<Certificate> needingAttention(Actor actor, int limit) {
        AccessPolicy.require(actor, Permission.SSL_VIEW);
        return repository.alerting(actor.actingTenantPath(), limit);
    }

    /**
     * Orders a certificate for the site's domain and aliases (and {@code *.<domain>} when asked) from the platform's
     * CA, deploys it and checks it from outside.
     *
     * @throws InvalidInput on {@code challenge}, {@code wildcard} or {@code status}
     */
    @Transactional
    public Queued issue(Actor actor, String siteId, IssueRequest request) {
        AccessPolicy.require(actor, Permission.SSL_MANAGE);
        Site site = sites.get(actor, siteId);
        Optional<Certificate> existing = repository.findBySite(actor.actingTenantPath(), site.id());
        requireIdle(site, existing);
        Validation validation = new Validation();
        Challenge challenge = Challenge.fromKey(request.challenge());
        boolean wildcard = Boolean.TRUE.equals(request.wildcard());
        if (challenge == null) {
            validation.reject("challenge", "Choose automatic, http-01 or dns-01.");
        } else if (wildcard && challenge == Challenge.HTTP_01) {
            validation.reject("wildcard", "A wildcard certificate can only be proved with DNS-01; choose dns-01 or automatic.");
        }
        List<String> names = new ArrayList<>(site.aliases().size() + 2);
        names.add(site.domain());
        names.addAll(site.aliases());
        if (wildcard) {
            names.add("*." + site.domain());
        }
        if (challenge == Challenge.DNS_01 || wildcard) {
            String tenantPath = sitePlaybooks.site(site.id()).tenantPath();
            for (String name : names) {
                if (dns.zoneFor(tenantPath, name).isEmpty()) {
                    validation.reject(wildcard && challenge != Challenge.DNS_01 ? "wildcard" : "challenge",
                            "DNS-01 needs the zone of " + name + " managed in the panel (DNS › Zones); no active zone of yours holds it.");
                    break;
                }
            }
        }
        validation.throwIfInvalid();
        boolean hsts = Boolean.TRUE.equals(request.hsts());
        String id = save(actor, site, existing, CertificateSource.ACME, challenge, names, hsts);
        Job job = enqueue(actor, site, id, CertificateJobTypes.ISSUE, "Issue the certificate of " + site.domain(), Map.of());
        audit(actor, site, id, "certificate.issue", Map.of("names", names, "challenge", challenge.key(), "hsts", hsts));
        return new Queued(repository.find("/", id).orElseThrow(), job);
    }

    /**
     * Renews the site's ACME certificate now, whatever its renewal time.
     *
     * @throws InvalidInput on {@code source} for a custom certificate, or {@code status} while a job works on it
     */
    @Transactional
    public Queued renew(Actor actor, String certificateId) {
        AccessPolicy.require(actor, Permission.SSL_MANAGE);
        Certificate certificate = get(actor, certificateId);
        Site site = sites.get(actor, certificate.siteId());
        requireIdle(site, Optional.of(certificate));
        if (certificate.source() != CertificateSource.ACME) {
            throw new InvalidInput("source", "This is a custom certificate: the panel cannot renew it. Upload its successor, or issue one from the CA instead.");
        }
        if (!certificate.deployed()) {
            throw new InvalidInput("status", "The certificate was never issued; issue it first.");
        }
        repository.setStatus(certificate.id(), CertificateStatus.PENDING, "Renewal asked for", clock.instant());
        Job job = enqueue(actor, site, certificate.id(), CertificateJobTypes.ISSUE, "Renew the certificate of " + site.domain(),
                Map.of("renewal", true));
        audit(actor, site, certificate.id(), "certificate.renew", Map.of("serial", String.valueOf(certificate.serial())));
        return new Queued(repository.find("/", certificate.id()).orElseThrow(), job);
    }

    /**
     * Checks an uploaded certificate (key match, chain to a trusted root, names covering the site, dates) and deploys
     * it in place of the site's current one.
     *
     * @throws InvalidInput on {@code certificate}, {@code chain}, {@code privateKey} or {@code status}
     */
    @Transactional
    public Queued upload(Actor actor, String siteId, CustomCertificate upload) {
        AccessPolicy.require(actor, Permission.SSL_MANAGE);
        Site site = sites.get(actor, siteId);
        Optional<Certificate> existing = repository.findBySite(actor.actingTenantPath(), site.id());
        requireIdle(site, existing);
        Validation validation = new Validation();
        List<String> hostNames = new ArrayList<>();
        hostNames.add(site.domain());
        hostNames.addAll(site.aliases());
        ValidatedCertificate valid = validator.validate(validation,
                new CertificateUpload(upload.certificate(), upload.chain(), upload.privateKey(), hostNames));
        validation.throwIfInvalid();
        boolean hsts = Boolean.TRUE.equals(upload.hsts());
        String id = save(actor, site, existing, CertificateSource.CUSTOM, Challenge.AUTOMATIC, hostNames, hsts);
        work.store(id, CertificateSource.CUSTOM, valid.chainPem(), valid.privateKeyPem(), null, Map.of());
        Job job = enqueue(actor, site, id, CertificateJobTypes.DEPLOY_CUSTOM, "Deploy the custom certificate of " + site.domain(), Map.of());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serial", valid.certificate().serialHex());
        details.put("issuer", valid.certificate().issuer());
        details.put("notAfter", valid.certificate().notAfter().toString());
        audit(actor, site, id, "certificate.upload", details);
        return new Queued(repository.find("/", id).orElseThrow(), job);
    }

    private String save(Actor actor, Site site, Optional<Certificate> existing, CertificateSource source, Challenge challenge,
                        List<String> names, boolean hsts) {
        if (existing.isPresent()) {
            repository.request(existing.get().id(), source, challenge, names, hsts, clock.instant());
            return existing.get().id();
        }
        String id = Ids.newId("crt");
        repository.insert(id, site.tenantId(), site.id(), source, challenge, names, hsts, actor.userId(), clock.instant());
        return id;
    }

    private void requireIdle(Site site, Optional<Certificate> existing) {
        if (site.status() != SiteStatus.READY) {
            throw new InvalidInput("status", "The site is " + site.status().key() + "; a certificate can be put on a ready site only.");
        }
        // A job that was cancelled before it ran never moved the certificate on: it is idle once its job is final.
        if (existing.isPresent() && existing.get().status().working() && !jobFinished(existing.get().lastJobId())) {
            throw new InvalidInput("status", "A job is already working on this site's certificate; wait for it to finish.");
        }
    }

    private boolean jobFinished(@Nullable String jobId) {
        return jobId == null || jobs.statusOf(jobId).map(JobStatus::isFinal).orElse(true);
    }

    private Job enqueue(Actor actor, Site site, String id, String type, String title, Map<String, ?> params) {
        Job job = jobs.enqueue(new NewJob(site.tenantId(), type, title, "certificate", id, params, actor));
        repository.setLastJob(id, job.id());
        return job;
    }

    private void audit(Actor actor, Site site, String id, String action, Map<String, ?> details) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("site", site.domain());
        events.publishEvent(AuditEvent.success(site.tenantId(), actor.userId(), actor.email(), action, "certificate", id, all));
    }
}
