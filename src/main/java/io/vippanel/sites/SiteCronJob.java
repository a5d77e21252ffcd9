package io.vippanel.sites;

import java.time.Instant;

/** A cron job of a site, run as the site user in its current release. */
public record SiteCronJob(String id, String siteId, String expression, String command, String description,
                          String status, Instant createdAt) {
}
