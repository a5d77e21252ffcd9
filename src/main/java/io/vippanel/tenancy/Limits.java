package io.vippanel.tenancy;

import org.jspecify.annotations.Nullable;

/**
 * Resource limits of a tenant, counted over its whole subtree; {@code null} means no limit of its own, so
 * only the ancestors' limits apply.
 */
public record Limits(@Nullable Integer maxServers, @Nullable Integer maxSites, @Nullable Integer maxMailboxes,
                     @Nullable Integer maxUsers) {

    public static final Limits NONE = new Limits(null, null, null, null);

    /** Errors for the limits set higher than the parent's, so that nobody hands out more than they have. */
    public java.util.Map<String, String> exceeding(Limits parent) {
        var errors = new java.util.LinkedHashMap<String, String>();
        check(errors, "maxServers", maxServers, parent.maxServers);
        check(errors, "maxSites", maxSites, parent.maxSites);
        check(errors, "maxMailboxes", maxMailboxes, parent.maxMailboxes);
        check(errors, "maxUsers", maxUsers, parent.maxUsers);
        return errors;
    }

    private static void check(java.util.Map<String, String> errors, String field, @Nullable Integer own, @Nullable Integer parent) {
        if (parent != null && own != null && own > parent) {
            errors.put(field, "At most " + parent + ", the parent tenant's own limit.");
        }
    }
}
