package io.vippanel.sites;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteRepository;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What the environment, databases, cron jobs and workers of a site share: finding the site within the actor's
 * scope, requiring a site that exists on its server, queueing a job on it and auditing.
 */
@Component
class SiteServiceSupport {

    private final SiteRepository sites;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;

    SiteServiceSupport(SiteRepository sites, Jobs jobs, ApplicationEventPublisher events) {
        this.sites = sites;
        this.jobs = jobs;
        this.events = events;
    }

    SiteRecord visible(Actor actor, String siteId) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        return find(actor, siteId);
    }

    SiteRecord manageable(Actor actor, String siteId) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        return find(actor, siteId);
    }

    /** A site the actor may manage that exists on its server, so that a job can change what runs there. */
    SiteRecord onServer(Actor actor, String siteId) {
        SiteRecord site = manageable(actor, siteId);
        if (!existsOnServer(site)) {
            throw new InvalidInput("site", "The site is " + site.status().key() + "; this needs a site that is ready (or suspended).");
        }
        return site;
    }

    static boolean existsOnServer(SiteRecord site) {
        return site.status() == SiteStatus.READY || site.status() == SiteStatus.SUSPENDED;
    }

    /** Whether an id has the shape of one with this prefix; anything else is not found without a query. */
    static void requireId(String what, String prefix, String id) {
        if (!Ids.looksLike(prefix, id)) {
            throw new NotFound(what, id);
        }
    }

    Job enqueue(Actor actor, SiteRecord site, String type, String title, Map<String, ?> params) {
        return jobs.enqueue(new NewJob(site.tenantId(), type, title, "site", site.id(), params, actor));
    }

    void audit(Actor actor, SiteRecord site, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(site.tenantId(), actor.userId(), actor.email(), action, "site", site.id(), details));
    }

    private SiteRecord find(Actor actor, String siteId) {
        requireId("Site", "site", siteId);
        return sites.find(actor.actingTenantPath(), siteId).orElseThrow(() -> new NotFound("Site", siteId));
    }
}
