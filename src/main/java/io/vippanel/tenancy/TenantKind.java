package io.vippanel.tenancy;

import java.util.Locale;

/** Levels of the tenant tree: the platform at the root, resellers below it, clients below either. */
public enum TenantKind {
    PLATFORM, RESELLER, CLIENT;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TenantKind fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public static TenantKind parseChild(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "reseller" -> RESELLER;
            case "client" -> CLIENT;
            default -> throw new IllegalArgumentException("kind [" + value + "] must be reseller or client");
        };
    }

    /** Whether a tenant of this kind may be created below a parent of the given kind. */
    public boolean mayHaveParent(TenantKind parent) {
        return switch (this) {
            case PLATFORM -> false;
            case RESELLER -> parent == PLATFORM;
            case CLIENT -> parent == PLATFORM || parent == RESELLER;
        };
    }
}
