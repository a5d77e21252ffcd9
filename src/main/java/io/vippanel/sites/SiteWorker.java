package io.vippanel.sites;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A queue worker or daemon of a site: a command (argv) run by N processes as the site user, restarted on failure. */
public record SiteWorker(String id, String siteId, String name, List<String> command, int processes, String status,
                         @Nullable String statusNote, @Nullable Instant checkedAt, Instant createdAt) {
}
