package io.vippanel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessPolicyTests {

    private static final String PLATFORM = "/ten_p/";
    private static final String RESELLER = PLATFORM + "ten_r/";
    private static final String CLIENT = RESELLER + "ten_c/";
    private static final String OTHER_RESELLER = PLATFORM + "ten_o/";

    private final Actor superadmin = Actor.of("usr_s", "s@x.test", "S", Role.SUPERADMIN, "ten_p", PLATFORM);
    private final Actor admin = Actor.of("usr_a", "a@x.test", "A", Role.ADMIN, "ten_p", PLATFORM);
    private final Actor reseller = Actor.of("usr_r", "r@x.test", "R", Role.RESELLER, "ten_r", RESELLER);
    private final Actor client = Actor.of("usr_c", "c@x.test", "C", Role.CLIENT, "ten_c", CLIENT);

    @Test
    void resellersManageTheirClientsButNotThemselvesNorSiblings() {
        assertThat(AccessPolicy.allowsOn(reseller, Permission.TENANT_MANAGE, CLIENT)).isTrue();
        assertThat(AccessPolicy.allowsOn(reseller, Permission.TENANT_MANAGE, RESELLER)).isFalse();
        assertThat(AccessPolicy.allowsOn(reseller, Permission.TENANT_VIEW, OTHER_RESELLER)).isFalse();
        assertThat(AccessPolicy.allowsOn(reseller, Permission.TENANT_CREATE, RESELLER)).isTrue();
    }

    @Test
    void clientsSeeOnlyThemselves() {
        assertThat(AccessPolicy.allows(client, Permission.TENANT_VIEW)).isFalse();
        assertThat(AccessPolicy.allowsOn(client, Permission.USER_VIEW, CLIENT)).isTrue();
        assertThat(AccessPolicy.allowsOn(client, Permission.USER_VIEW, RESELLER)).isFalse();
        assertThatThrownBy(() -> AccessPolicy.require(client, Permission.USER_MANAGE)).isInstanceOf(AccessDenied.class);
    }

    @Test
    void onlySuperadminsManageStaff() {
        AccessPolicy.requireUserManagement(superadmin, Role.ADMIN, PLATFORM);
        assertThatThrownBy(() -> AccessPolicy.requireUserManagement(admin, Role.ADMIN, PLATFORM)).isInstanceOf(AccessDenied.class);
        AccessPolicy.requireUserManagement(admin, Role.CLIENT, CLIENT);
        assertThatThrownBy(() -> AccessPolicy.requireUserManagement(reseller, Role.CLIENT, OTHER_RESELLER)).isInstanceOf(AccessDenied.class);
    }

    @Test
    void aTenantPrefixIsNotASubtree() {
        Actor shortId = Actor.of("usr_x", "x@x.test", "X", Role.RESELLER, "ten_r", "/ten_p/ten_r/");
        assertThat(AccessPolicy.allowsOn(shortId, Permission.TENANT_VIEW, "/ten_p/ten_rx/")).isFalse();
    }

    @Test
    void switchingIntoATenantOutsideOnesOwnIsRefused() {
        assertThatThrownBy(() -> reseller.actingIn("ten_o", OTHER_RESELLER)).isInstanceOf(IllegalArgumentException.class);
        assertThat(reseller.actingIn("ten_c", CLIENT).actingTenantPath()).isEqualTo(CLIENT);
    }

    @Test
    void childLimitsMayNotExceedTheParentsButMayBeLeftOpen() {
        Limits parent = new Limits(10, null, 5, 4);
        assertThat(new Limits(10, 1000, 5, 4).exceeding(parent)).isEmpty();
        assertThat(new Limits(null, null, null, null).exceeding(parent)).isEmpty();
        assertThat(new Limits(11, null, 6, 4).exceeding(parent)).containsOnlyKeys("maxServers", "maxMailboxes");
    }

    @Test
    void tenantKindsNest() {
        assertThat(TenantKind.RESELLER.mayHaveParent(TenantKind.PLATFORM)).isTrue();
        assertThat(TenantKind.RESELLER.mayHaveParent(TenantKind.RESELLER)).isFalse();
        assertThat(TenantKind.CLIENT.mayHaveParent(TenantKind.RESELLER)).isTrue();
        assertThat(TenantKind.CLIENT.mayHaveParent(TenantKind.CLIENT)).isFalse();
        assertThatThrownBy(() -> TenantKind.parseChild("platform")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Role.parse("root")).isInstanceOf(IllegalArgumentException.class);
    }
}
