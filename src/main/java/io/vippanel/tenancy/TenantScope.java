package io.vippanel.tenancy;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The tenants the current thread's database work may see: a tenant path prefix (the subtree of one tenant) or
 * the whole platform for system work such as login. Every transaction hands it to PostgreSQL, whose row-level
 * security policies enforce it again. Without a scope a transaction sees no tenant-owned row.
 */
public final class TenantScope {

    static final String SYSTEM = "*";
    private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();

    private TenantScope() {
    }

    /** The scope value for PostgreSQL's {@code vip.scope} setting; empty means nothing is visible. */
    static String currentValue() {
        String value = CURRENT.get();
        return value == null ? "" : value;
    }

    public static <T> T callInSubtree(String tenantPath, Supplier<T> work) {
        if (tenantPath.isEmpty() || SYSTEM.equals(tenantPath)) {
            throw new IllegalArgumentException("tenant path [" + tenantPath + "] is not a path");
        }
        return call(tenantPath, work);
    }

    /** Runs work that must see every tenant (login, token lookup, bootstrap, CLI tasks). */
    public static <T> T callAsSystem(Supplier<T> work) {
        return call(SYSTEM, work);
    }

    /** Sets the scope of a whole request; the caller clears it with {@link #clear()}. */
    public static void enterSubtree(String tenantPath) {
        CURRENT.set(tenantPath);
    }

    public static void clear() {
        CURRENT.remove();
    }

    private static <T> T call(String scope, Supplier<T> work) {
        String previous = CURRENT.get();
        CURRENT.set(scope);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
