package io.vippanel.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One recorded act, as shown on the audit page and in exports. */
public record AuditEntry(long seq, String id, String tenantId, @Nullable String actorId, @Nullable String actorEmail,
                         String action, @Nullable String targetType, @Nullable String targetId, String outcome,
                         @Nullable String ip, @Nullable String userAgent, String details, Instant occurredAt) {
}
