package io.vippanel.jobs;

import io.vippanel.platform.AuditActor;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A job to schedule. {@code params} are stored in the job record and shown to users, so they must never hold
 * a secret: pass ids and let the job type load and decrypt what it needs.
 */
public record NewJob(String tenantId, String type, String title, @Nullable String targetType,
                     @Nullable String targetId, Map<String, ?> params, @Nullable AuditActor startedBy) {

    public static NewJob of(String tenantId, String type, String title, @Nullable AuditActor startedBy) {
        return new NewJob(tenantId, type, title, null, null, Map.of(), startedBy);
    }

    public NewJob on(String targetType, String targetId) {
        return new NewJob(tenantId, type, title, targetType, targetId, params, startedBy);
    }

    public NewJob with(Map<String, ?> newParams) {
        return new NewJob(tenantId, type, title, targetType, targetId, newParams, startedBy);
    }
}
