package io.vippanel.sites;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A database and its user on the site's server; the password only through {@code SiteDatabases#revealPassword}. */
public record SiteDatabase(String id, String siteId, String engine, String name, String username, String status,
                           @Nullable String statusNote, Instant createdAt) {
}
