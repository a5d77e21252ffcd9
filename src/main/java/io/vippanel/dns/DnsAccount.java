package io.vippanel.dns;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A DNS provider account. The credentials are never part of it: only a hint (the last characters).
 *
 * @param shared        usable (not readable) by every tenant below the owner: a platform's PowerDNS for its customers
 * @param checkServers  where the panel asks what the provider's servers answer (host or host:port); empty: the zone's
 *                      name servers
 * @param ownedByViewer whether the viewer's tenant scope owns it (and so may test or delete it)
 */
public record DnsAccount(String id, String tenantId, DnsProviderKind kind, String name, boolean shared,
                         String credentialHint, List<String> checkServers, @Nullable Instant lastCheckedAt,
                         @Nullable Boolean lastCheckOk, @Nullable String lastCheckNote, Instant createdAt,
                         boolean ownedByViewer) {

    public DnsAccount {
        checkServers = List.copyOf(checkServers);
    }
}
