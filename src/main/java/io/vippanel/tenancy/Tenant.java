package io.vippanel.tenancy;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A tenant as read from the database; {@code blocked} and {@code twoFactorRequired} already include what
 * its ancestors impose.
 */
public record Tenant(String id, @Nullable String parentId, TenantKind kind, String name, String path, boolean suspended,
                     boolean blocked, boolean require2fa, boolean twoFactorRequired, Limits limits, Instant createdAt) {

    public int depth() {
        return (int) path.chars().filter(c -> c == '/').count() - 2;
    }
}
