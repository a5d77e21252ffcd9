package io.vippanel.sites;

import io.vippanel.platform.AuditActor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Published in the transaction that creates a site: its host names now point (in the panel's eyes) at its server's
 * addresses. The DNS module answers with A/AAAA records where it manages the names' zone.
 */
public record SiteHostsAdded(String tenantId, String tenantPath, String siteId, String domain, List<String> aliases,
                             @Nullable String ipv4, @Nullable String ipv6, AuditActor actor) {

    public SiteHostsAdded {
        aliases = List.copyOf(aliases);
    }
}
