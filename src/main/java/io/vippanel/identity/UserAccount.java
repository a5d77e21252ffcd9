package io.vippanel.identity;

import io.vippanel.tenancy.Role;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A user as the panel shows it; secrets (password hash, TOTP seed) are never part of it. */
public record UserAccount(String id, String tenantId, String tenantName, String tenantPath, String email, String displayName,
                          Role role, Status status, boolean twoFactorEnabled, @Nullable Instant lastLoginAt,
                          Instant createdAt) {

    /** Lifecycle of an account. */
    public enum Status {
        INVITED, ACTIVE, DISABLED;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
