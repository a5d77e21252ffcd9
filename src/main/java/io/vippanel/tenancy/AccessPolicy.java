package io.vippanel.tenancy;

/**
 * The only place that decides whether an actor may do something to a tenant or a user; controllers and
 * services ask it, the permission matrix lives in {@link Permission}.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    public static boolean allows(Actor actor, Permission permission) {
        return permission.grantedTo(actor.role());
    }

    public static void require(Actor actor, Permission permission) {
        if (!allows(actor, permission)) {
            throw new AccessDenied(permission, "your role does not have the " + describe(permission) + " permission.");
        }
    }

    /** Whether the actor may use the permission on a tenant with the given path. */
    public static boolean allowsOn(Actor actor, Permission permission, String targetTenantPath) {
        if (!allows(actor, permission)) {
            return false;
        }
        return switch (permission.reach()) {
            case SELF -> targetTenantPath.equals(actor.tenantPath());
            case SUBTREE -> targetTenantPath.startsWith(actor.tenantPath());
            case BELOW -> targetTenantPath.startsWith(actor.tenantPath()) && !targetTenantPath.equals(actor.tenantPath());
        };
    }

    public static void requireOn(Actor actor, Permission permission, String targetTenantPath) {
        require(actor, permission);
        if (!allowsOn(actor, permission, targetTenantPath)) {
            throw new AccessDenied(permission, "that tenant is outside the reach of your " + describe(permission) + " permission.");
        }
    }

    /** Users with staff roles are managed by superadmins only; everyone else by whoever may manage the tenant. */
    public static void requireUserManagement(Actor actor, Role targetRole, String targetTenantPath) {
        requireOn(actor, Permission.USER_MANAGE, targetTenantPath);
        if (targetRole.isStaff()) {
            requireOn(actor, Permission.STAFF_MANAGE, targetTenantPath);
        }
    }

    private static String describe(Permission permission) {
        return permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
