package io.vippanel.tenancy;

import java.util.Locale;

/** The four roles, from the most to the least powerful; a role belongs to one kind of tenant. */
public enum Role {
    SUPERADMIN(TenantKind.PLATFORM),
    ADMIN(TenantKind.PLATFORM),
    RESELLER(TenantKind.RESELLER),
    CLIENT(TenantKind.CLIENT);

    private final TenantKind tenantKind;

    Role(TenantKind tenantKind) {
        this.tenantKind = tenantKind;
    }

    public TenantKind tenantKind() {
        return tenantKind;
    }

    public boolean isStaff() {
        return tenantKind == TenantKind.PLATFORM;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Parses user input; unknown text is a client error, not a crash. */
    public static Role parse(String value) {
        for (Role role : values()) {
            if (role.dbValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("role [" + value + "] is not one of superadmin, admin, reseller, client");
    }
}
