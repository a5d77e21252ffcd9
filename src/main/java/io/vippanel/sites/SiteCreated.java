package io.vippanel.sites;

import org.jspecify.annotations.Nullable;

/**
 * A site just written {@code queued} and the job creating it on its server.
 *
 * @param wordpressAdmin for a WordPress site the panel installs, its administrator with the password shown this once
 */
public record SiteCreated(Site site, String jobId, @Nullable WordPressAdmin wordpressAdmin) {
}
