package io.vippanel.platform;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A privileged act that the audit trail must record, published by any module; the audit module writes it
 * in the publisher's transaction. Details are a before/after summary and must never hold a secret.
 */
public record AuditEvent(String tenantId, @Nullable String actorId, @Nullable String actorEmail, String action,
                         @Nullable String targetType, @Nullable String targetId, Outcome outcome,
                         Map<String, ?> details) {

    public enum Outcome {
        SUCCESS, FAILURE, DENIED
    }

    public static AuditEvent success(String tenantId, @Nullable String actorId, @Nullable String actorEmail, String action,
                                     @Nullable String targetType, @Nullable String targetId, Map<String, ?> details) {
        return new AuditEvent(tenantId, actorId, actorEmail, action, targetType, targetId, Outcome.SUCCESS, details);
    }
}
