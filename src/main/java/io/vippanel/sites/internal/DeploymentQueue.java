package io.vippanel.sites.internal;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditActor;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploySource;
import io.vippanel.sites.DeploymentStatus;
import io.vippanel.sites.SiteStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Starts deployments and rollbacks, one at a time per site: the deployment row {@code queued} and its job, in the
 * caller's transaction. People (through {@code Deployments}) and push webhooks both come through here.
 */
@Component
public class DeploymentQueue {

    private final SiteRepository sites;
    private final DeploymentRepository deployments;
    private final SiteEvents events;
    private final Jobs jobs;
    private final Clock clock;

    public DeploymentQueue(SiteRepository sites, DeploymentRepository deployments, SiteEvents events, Jobs jobs, Clock clock) {
        this.sites = sites;
        this.deployments = deployments;
        this.events = events;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Queues a deployment of the site's branch (or of an uploaded archive at {@code archive}, a file on the panel, or
     * of WordPress core for a WordPress the panel installs).
     *
     * @param trigger {@code create}, {@code manual}, {@code webhook} or {@code environment}
     * @throws InvalidInput when the site cannot deploy now (not ready, nothing to deploy, another deployment under way)
     */
    public Deployment deploy(SiteRecord site, String trigger, @Nullable AuditActor by, @Nullable String requestedByName,
                             @Nullable String archive) {
        sites.lock(site.id());
        requireIdle(site, trigger.equals("create"));
        boolean wordpress = archive == null && site.deploySource() == DeploySource.WORDPRESS;
        if (archive == null && !wordpress && (site.deploySource() != DeploySource.GIT || site.repositoryUrl() == null)) {
            throw new InvalidInput("repositoryUrl", "The site has no repository to deploy from; set one in its settings"
                    + (site.type() == io.vippanel.sites.SiteType.STATIC ? " or upload an archive." : "."));
        }
        String id = Ids.newId("dep");
        deployments.insert(new DeploymentRepository.NewRow(id, site.tenantId(), site.id(), "deploy", trigger, null, null, null,
                archive == null && !wordpress ? site.branch() : null, null, by == null ? null : by.userId(), requestedByName), clock.instant());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("deployment", id);
        if (archive != null) {
            params.put("archive", archive);
        }
        String title = (wordpress ? "Deploy WordPress to " : archive == null ? "Deploy " + site.branch() + " to "
                : "Deploy an uploaded archive to ") + site.domain();
        return queued(site, id, SiteJobTypes.DEPLOY, title, params, by);
    }

    /** Queues a rollback to the release of a succeeded deployment that is still kept on the server. */
    public Deployment rollback(SiteRecord site, Deployment target, @Nullable AuditActor by, @Nullable String requestedByName) {
        sites.lock(site.id());
        requireIdle(site, false);
        if (target.status() != DeploymentStatus.SUCCEEDED || target.release() == null) {
            throw new InvalidInput("deployment", "Only a deployment that succeeded can be rolled back to.");
        }
        if (target.releasePruned()) {
            throw new InvalidInput("deployment", "The release of this deployment was removed from the server (the site keeps "
                    + site.keepReleases() + "); deploy its commit again instead.");
        }
        if (target.release().equals(site.currentRelease())) {
            throw new InvalidInput("deployment", "The site runs this release already.");
        }
        String id = Ids.newId("dep");
        deployments.insert(new DeploymentRepository.NewRow(id, site.tenantId(), site.id(), "rollback", "rollback", target.release(),
                target.commitHash(), target.commitMessage(), target.branch(), target.id(), by == null ? null : by.userId(),
                requestedByName), clock.instant());
        return queued(site, id, SiteJobTypes.ROLLBACK, "Roll back " + site.domain() + " to " + target.release(),
                Map.of("deployment", id), by);
    }

    private Deployment queued(SiteRecord site, String id, String type, String title, Map<String, ?> params, @Nullable AuditActor by) {
        Job job = jobs.enqueue(new NewJob(site.tenantId(), type, title, "site", site.id(), params, by));
        deployments.setJob(id, job.id());
        sites.setLastJob(site.id(), job.id());
        events.changed(site.tenantPath(), site.id(), site.status().key(), site.statusNote());
        return deployments.find(site.tenantPath(), site.id(), id).orElseThrow();
    }

    private void requireIdle(SiteRecord site, boolean creating) {
        boolean ready = site.status() == SiteStatus.READY || creating && site.status() == SiteStatus.CREATING;
        if (!ready) {
            throw new InvalidInput("status", "The site is " + site.status().key() + "; deployments need a ready site.");
        }
        deployments.active(site.id()).ifPresent(active -> {
            throw new DeploymentConflict("Deployment " + active + " of this site is still under way; wait until it has finished.");
        });
    }
}
