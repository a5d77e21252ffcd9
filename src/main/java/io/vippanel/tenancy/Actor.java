package io.vippanel.tenancy;

import io.vippanel.platform.AuditActor;
import java.io.Serializable;

/**
 * Who is acting: a signed-in user or an API token's owner, with the tenant they belong to and the tenant
 * subtree they are currently working in (their own, or a descendant picked in the tenant switcher).
 */
public record Actor(String userId, String email, String displayName, Role role, String tenantId, String tenantPath,
                    String actingTenantId, String actingTenantPath) implements Serializable, AuditActor {

    public static Actor of(String userId, String email, String displayName, Role role, String tenantId, String tenantPath) {
        return new Actor(userId, email, displayName, role, tenantId, tenantPath, tenantId, tenantPath);
    }

    public Actor actingIn(String tenantId, String tenantPath) {
        if (!tenantPath.startsWith(this.tenantPath)) {
            throw new IllegalArgumentException("tenant [" + tenantId + "] is outside the actor's tenant");
        }
        return new Actor(userId, email, displayName, role, this.tenantId, this.tenantPath, tenantId, tenantPath);
    }
}
