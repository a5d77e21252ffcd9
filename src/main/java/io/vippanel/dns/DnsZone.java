package io.vippanel.dns;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A zone the panel manages.
 *
 * @param nameservers   the provider's servers for the zone: what to set at the registrar
 * @param dsRecords     DS records for the registrar while DNSSEC is on (presentation format)
 * @param pendingSets   record sets changed in the panel and not yet taken by the provider
 * @param drift         differences between the provider and the panel at the last check; null: never checked
 */
public record DnsZone(String id, String tenantId, String accountId, String accountName, DnsProviderKind provider,
                      String name, ZoneStatus status, @Nullable String statusNote, List<String> nameservers,
                      boolean dnssec, List<String> dsRecords, int pendingSets, @Nullable List<DriftItem> drift,
                      @Nullable Instant driftCheckedAt, @Nullable Instant appliedAt, @Nullable String lastJobId,
                      Instant createdAt) {

    public DnsZone {
        nameservers = List.copyOf(nameservers);
        dsRecords = List.copyOf(dsRecords);
        drift = drift == null ? null : List.copyOf(drift);
    }
}
