package io.vippanel.support;

import io.vippanel.identity.Credentials;
import io.vippanel.identity.UserAccount;
import io.vippanel.identity.internal.PasswordPolicy;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.identity.internal.UserRepository;
import io.vippanel.platform.Ids;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.Role;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantKind;
import io.vippanel.tenancy.Tenants;
import org.springframework.context.ApplicationContext;

/**
 * A small tenant tree with one user per role and a sibling reseller subtree:
 * platform (superadmin, admin) › reseller1 (reseller1User) › client1 (client1User, client1Other),
 * and reseller2 (reseller2User) › client2 (client2User, client2Other). Every password is {@link #PASSWORD}.
 */
public final class Fixture {

    public static final String PASSWORD = "Fixture pass 4 tests!";

    public final Tenant platform;
    public final Tenant reseller1;
    public final Tenant client1;
    public final Tenant reseller2;
    public final Tenant client2;
    public final Actor superadmin;
    public final Actor admin;
    public final Actor reseller1User;
    public final Actor client1User;
    public final Actor client1Other;
    public final Actor reseller2User;
    public final Actor client2User;
    public final Actor client2Other;

    private final Credentials credentials;

    private Fixture(ApplicationContext context) {
        Tenants tenants = context.getBean(Tenants.class);
        UserRepository users = context.getBean(UserRepository.class);
        PasswordPolicy passwords = context.getBean(PasswordPolicy.class);
        SystemTransactions system = context.getBean(SystemTransactions.class);
        this.credentials = context.getBean(Credentials.class);
        String hash = passwords.hash(PASSWORD);
        String tag = Ids.randomToken(6);
        platform = system.call(tenants::platform);
        superadmin = system.call(() -> user(users, hash, platform, Role.SUPERADMIN, "super-" + tag));
        admin = system.call(() -> user(users, hash, platform, Role.ADMIN, "admin-" + tag));
        reseller1 = system.call(() -> tenants.create(superadmin, platform.id(), TenantKind.RESELLER, "Reseller One " + tag, Limits.NONE));
        client1 = system.call(() -> tenants.create(superadmin, reseller1.id(), TenantKind.CLIENT, "Client One " + tag, Limits.NONE));
        reseller2 = system.call(() -> tenants.create(superadmin, platform.id(), TenantKind.RESELLER, "Reseller Two " + tag, Limits.NONE));
        client2 = system.call(() -> tenants.create(superadmin, reseller2.id(), TenantKind.CLIENT, "Client Two " + tag, Limits.NONE));
        reseller1User = system.call(() -> user(users, hash, reseller1, Role.RESELLER, "r1-" + tag));
        client1User = system.call(() -> user(users, hash, client1, Role.CLIENT, "c1-" + tag));
        client1Other = system.call(() -> user(users, hash, client1, Role.CLIENT, "c1b-" + tag));
        reseller2User = system.call(() -> user(users, hash, reseller2, Role.RESELLER, "r2-" + tag));
        client2User = system.call(() -> user(users, hash, client2, Role.CLIENT, "c2-" + tag));
        client2Other = system.call(() -> user(users, hash, client2, Role.CLIENT, "c2b-" + tag));
    }

    public static Fixture create(ApplicationContext context) {
        return new Fixture(context);
    }

    /** Runs service calls as a request of this actor would: inside the actor's tenant scope. */
    public static <T> T as(Actor actor, java.util.function.Supplier<T> work) {
        return io.vippanel.tenancy.TenantScope.callInSubtree(actor.actingTenantPath(), work);
    }

    /** A new personal API token of the actor. */
    public String tokenOf(Actor actor) {
        return credentials.createToken(actor, "test", null);
    }

    private static Actor user(UserRepository users, String hash, Tenant tenant, Role role, String name) {
        String id = Ids.newId("usr");
        String email = name + "@example.test";
        users.insert(id, tenant.id(), email, name, role, UserAccount.Status.ACTIVE, hash);
        return Actor.of(id, email, name, role, tenant.id(), tenant.path());
    }
}
