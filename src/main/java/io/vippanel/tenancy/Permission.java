package io.vippanel.tenancy;

import static io.vippanel.tenancy.Role.ADMIN;
import static io.vippanel.tenancy.Role.CLIENT;
import static io.vippanel.tenancy.Role.RESELLER;
import static io.vippanel.tenancy.Role.SUPERADMIN;

import java.util.EnumSet;
import java.util.Set;

/**
 * The permission matrix, in one place; {@code docs/permissions.md} documents it and a test checks every route
 * against that document. {@link Reach} says which tenants, relative to the actor's own, a permission covers.
 */
public enum Permission {
    DASHBOARD_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    PROFILE_MANAGE(Reach.SELF, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    TENANT_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    TENANT_CREATE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    TENANT_MANAGE(Reach.BELOW, SUPERADMIN, ADMIN, RESELLER),
    TENANT_SECURITY(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    USER_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    USER_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    STAFF_MANAGE(Reach.SUBTREE, SUPERADMIN),
    AUDIT_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    JOB_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    JOB_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Checks of the panel's own machinery (workers, automation tools): platform staff only. */
    SYSTEM_CHECK(Reach.SUBTREE, SUPERADMIN, ADMIN),
    /** Provider accounts: see them (shared ones from above included) and their catalogs. */
    PROVIDER_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Add, test and delete the tenant's own provider accounts. */
    PROVIDER_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Offer an account to every tenant below: those who have customers below them. */
    PROVIDER_SHARE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    SERVER_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Create, change and delete servers, their firewall rules, SSH keys, services and PHP versions. */
    SERVER_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** See sites, their deployments and logs, databases (not passwords), cron jobs and workers. */
    SITE_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Create, deploy, roll back, suspend and delete sites; their settings, environment, databases, cron jobs, workers, WAF. */
    SITE_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** See DNS provider accounts (shared ones from above included), zones, records, DNSSEC and drift. */
    DNS_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Add, test and delete the tenant's own DNS accounts (Cloudflare, Route53); create, import, change and delete zones. */
    DNS_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /**
     * Connect a PowerDNS server: the panel sends requests to the address given, which only people running their own
     * infrastructure (the platform, resellers) may choose; they share it with their customers.
     */
    DNS_HOST(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER),
    /** See sites' certificates: status, names, expiry, renewal, and what each site serves on port 443. */
    SSL_VIEW(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** Issue, renew and upload sites' certificates; switch HSTS. */
    SSL_MANAGE(Reach.SUBTREE, SUPERADMIN, ADMIN, RESELLER, CLIENT),
    /** The platform's ACME account: the CA certificates are ordered from, and the acceptance of its terms. */
    SSL_PLATFORM(Reach.SUBTREE, SUPERADMIN, ADMIN);

    /** Which tenants a permission reaches. */
    public enum Reach {
        /** Only the actor's own user record. */
        SELF,
        /** The actor's tenant and every tenant below it. */
        SUBTREE,
        /** Tenants strictly below the actor's tenant: nobody manages their own tenant's limits or status. */
        BELOW
    }

    private final Reach reach;
    private final Set<Role> roles;

    Permission(Reach reach, Role first, Role... rest) {
        this.reach = reach;
        this.roles = EnumSet.of(first, rest);
    }

    public Reach reach() {
        return reach;
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }
}
