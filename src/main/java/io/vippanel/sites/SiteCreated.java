package io.vippanel.sites;

/** A site just written {@code queued} and the job creating it on its server. */
public record SiteCreated(Site site, String jobId) {
}
