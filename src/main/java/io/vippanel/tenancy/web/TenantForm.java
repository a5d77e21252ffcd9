package io.vippanel.tenancy.web;

import io.vippanel.platform.Validation;
import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.TenantKind;
import org.jspecify.annotations.Nullable;

/** The create/edit tenant form as typed by the user; {@link #validate} turns it into clean values. */
public record TenantForm(@Nullable String parentId, @Nullable String kind, @Nullable String name, @Nullable String maxServers,
                         @Nullable String maxSites, @Nullable String maxMailboxes, @Nullable String maxUsers) {

    public static final TenantForm EMPTY = new TenantForm("", "client", "", "", "", "", "");

    /** Clean values of a valid form. */
    public record Valid(String parentId, TenantKind kind, String name, Limits limits) {
    }

    public Valid validate(boolean creating) {
        Validation validation = new Validation();
        String cleanName = validation.requiredText("name", name, 120);
        TenantKind tenantKind = TenantKind.CLIENT;
        if (creating) {
            try {
                tenantKind = TenantKind.parseChild(kind == null ? "" : kind);
            } catch (IllegalArgumentException e) {
                validation.reject("kind", "Choose reseller or client.");
            }
            if (parentId == null || parentId.isBlank()) {
                validation.reject("parentId", "Choose the tenant this one belongs to.");
            }
        }
        Limits limits = new Limits(validation.optionalLimit("maxServers", maxServers), validation.optionalLimit("maxSites", maxSites),
                validation.optionalLimit("maxMailboxes", maxMailboxes), validation.optionalLimit("maxUsers", maxUsers));
        validation.throwIfInvalid();
        return new Valid(parentId == null ? "" : parentId.strip(), tenantKind, cleanName, limits);
    }

    public static String text(@Nullable Integer value) {
        return value == null ? "" : value.toString();
    }

    public String valueOf(String field) {
        String value = switch (field) {
            case "parentId" -> parentId;
            case "kind" -> kind;
            case "name" -> name;
            case "maxServers" -> maxServers;
            case "maxSites" -> maxSites;
            case "maxMailboxes" -> maxMailboxes;
            case "maxUsers" -> maxUsers;
            default -> "";
        };
        return value == null ? "" : value;
    }
}
