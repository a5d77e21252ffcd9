package io.vippanel.sites;

import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.platform.VipProperties;
import io.vippanel.sites.internal.DeploymentQueue;
import io.vippanel.sites.internal.DeploymentRepository;
import io.vippanel.sites.internal.SiteArchives;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteRepository;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deployments of sites: each one a new release folder built on the server and switched to atomically, so the site
 * never serves a half-built release; rollbacks switch back to a kept release. One at a time per site.
 */
@Service
public class Deployments {

    public static final int MAX_PAGE = 100;

    private final SiteRepository sites;
    private final DeploymentRepository repository;
    private final DeploymentQueue queue;
    private final SiteArchives archives;
    private final ApplicationEventPublisher events;
    private final VipProperties.Sites settings;

    public Deployments(SiteRepository sites, DeploymentRepository repository, DeploymentQueue queue, SiteArchives archives,
                       ApplicationEventPublisher events, VipProperties properties) {
        this.sites = sites;
        this.repository = repository;
        this.queue = queue;
        this.archives = archives;
        this.events = events;
        this.settings = properties.sites();
    }

    /** The site's deployments and rollbacks, newest first. */
    @Transactional(readOnly = true)
    public List<Deployment> list(Actor actor, String siteId, int limit, int offset) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        Validation.requirePage(limit, offset, MAX_PAGE);
        SiteRecord site = visible(actor, siteId);
        return repository.list(actor.actingTenantPath(), site.id(), limit, offset);
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, String siteId) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        return repository.count(visible(actor, siteId).id());
    }

    @Transactional(readOnly = true)
    public Deployment get(Actor actor, String siteId, String deploymentId) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        return deployment(actor, visible(actor, siteId), deploymentId);
    }

    /** Deploys the site's branch now. */
    @Transactional
    public Deployment deploy(Actor actor, String siteId) {
        return deploy(actor, siteId, "manual");
    }

    /** Deploys the site's branch because its environment changed (the new {@code .env} takes effect in a new release). */
    @Transactional
    public Deployment deployAfterEnvironmentChange(Actor actor, String siteId) {
        return deploy(actor, siteId, "environment");
    }

    private Deployment deploy(Actor actor, String siteId, String trigger) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        SiteRecord site = visible(actor, siteId);
        Deployment deployment = queue.deploy(site, trigger, actor, actor.displayName(), null);
        audit(actor, site, "site.deploy", Map.of("deployment", deployment.id(), "trigger", trigger,
                "branch", String.valueOf(site.branch()), "job", String.valueOf(deployment.jobId())));
        return deployment;
    }

    /**
     * Deploys an uploaded archive ({@code .tar.gz}, {@code .tgz} or {@code .zip}) to a static site: its files become
     * the new release.
     *
     * @throws InvalidInput when the site is not static, the file is not such an archive, or it is too large
     */
    @Transactional
    public Deployment deployArchive(Actor actor, String siteId, String fileName, InputStream content) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        SiteRecord site = visible(actor, siteId);
        if (site.type() != SiteType.STATIC) {
            throw new InvalidInput("archive", "Archives deploy static sites only; this is a " + site.type().label() + " site.");
        }
        String stored = archives.store(fileName, content, settings.maxArchiveSize().toBytes());
        try {
            Deployment deployment = queue.deploy(site, "manual", actor, actor.displayName(), stored);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("deployment", deployment.id());
            details.put("archive", SiteArchives.displayName(fileName));
            details.put("job", String.valueOf(deployment.jobId()));
            audit(actor, site, "site.deploy", details);
            return deployment;
        } catch (RuntimeException e) {
            archives.discard(stored);
            throw e;
        }
    }

    /** Switches the site back to the release of an earlier deployment (a new deployment of kind {@code rollback}). */
    @Transactional
    public Deployment rollback(Actor actor, String siteId, String deploymentId) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        SiteRecord site = visible(actor, siteId);
        Deployment target = deployment(actor, site, deploymentId);
        Deployment rollback = queue.rollback(site, target, actor, actor.displayName());
        audit(actor, site, "site.rollback", Map.of("deployment", rollback.id(), "to", target.id(),
                "release", String.valueOf(target.release()), "job", String.valueOf(rollback.jobId())));
        return rollback;
    }

    private SiteRecord visible(Actor actor, String siteId) {
        if (!Ids.looksLike("site", siteId)) {
            throw new NotFound("Site", siteId.length() > 40 ? siteId.substring(0, 40) + "…" : siteId);
        }
        return sites.find(actor.actingTenantPath(), siteId).orElseThrow(() -> new NotFound("Site", siteId));
    }

    private Deployment deployment(Actor actor, SiteRecord site, String deploymentId) {
        if (!Ids.looksLike("dep", deploymentId)) {
            throw new NotFound("Deployment", deploymentId.length() > 40 ? deploymentId.substring(0, 40) + "…" : deploymentId);
        }
        return repository.find(actor.actingTenantPath(), site.id(), deploymentId)
                .orElseThrow(() -> new NotFound("Deployment", deploymentId));
    }

    private void audit(Actor actor, SiteRecord site, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(site.tenantId(), actor.userId(), actor.email(), action, "site", site.id(), details));
    }
}
