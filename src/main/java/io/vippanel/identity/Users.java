package io.vippanel.identity;

import io.vippanel.identity.internal.Hashes;
import io.vippanel.identity.internal.TokenRepository;
import io.vippanel.identity.internal.UserRepository;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Mailer;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.Role;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantKind;
import io.vippanel.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users of the tenants an actor manages: list, invite, disable, enable. */
@Service
public class Users {

    static final Duration INVITE_VALIDITY = Duration.ofDays(7);

    private final UserRepository users;
    private final TokenRepository tokens;
    private final Tenants tenants;
    private final Mailer mailer;
    private final ApplicationEventPublisher events;
    private final VipProperties properties;
    private final Clock clock;

    Users(UserRepository users, TokenRepository tokens, Tenants tenants, Mailer mailer, ApplicationEventPublisher events,
          VipProperties properties, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.tenants = tenants;
        this.mailer = mailer;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Who is told when something of a tenant needs attention (a certificate that failed to renew): the active users of
     * that tenant. For jobs: call it inside a system-scope transaction ({@code SystemTransactions}).
     */
    public List<String> alertRecipients(String tenantId) {
        return users.list("/", tenantId, 100, 0).stream().filter(user -> user.status() == UserAccount.Status.ACTIVE)
                .map(UserAccount::email).toList();
    }

    @Transactional(readOnly = true)
    public List<UserAccount> list(Actor actor, @Nullable String tenantId, int limit, int offset) {
        AccessPolicy.require(actor, Permission.USER_VIEW);
        String scope = actor.role() == Role.CLIENT ? actor.tenantPath() : actor.actingTenantPath();
        if (tenantId != null && !tenantId.isBlank() && !Ids.looksLike("ten", tenantId)) {
            // No tenant has such an id (and text with NUL cannot even be sent to PostgreSQL): the filter matches nothing.
            return List.of();
        }
        return users.list(scope, tenantId == null || tenantId.isBlank() ? null : tenantId, Math.clamp(limit, 1, 500), Math.max(0, offset));
    }

    @Transactional(readOnly = true)
    public int count(Actor actor) {
        return users.count(actor.actingTenantPath());
    }

    @Transactional(readOnly = true)
    public UserAccount get(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.USER_VIEW);
        if (!Ids.looksLike("usr", id)) {
            throw new NotFound("user", id);
        }
        return users.find(id, actor.tenantPath()).orElseThrow(() -> new NotFound("user", id));
    }

    /** An invitation just made: the link is shown once to the inviter, and mailed when SMTP is configured. */
    public record Invitation(UserAccount user, String link, boolean mailed) {
    }

    /**
     * Invites a user into a tenant; the role follows the tenant's kind, except in the platform where it is
     * admin or superadmin.
     */
    @Transactional
    public Invitation invite(Actor actor, String tenantId, String email, String displayName, @Nullable Role requestedRole) {
        Tenant tenant = tenants.find(actor, tenantId).orElseThrow(() -> new NotFound("tenant", tenantId));
        Role role = roleFor(tenant, requestedRole);
        AccessPolicy.requireUserManagement(actor, role, tenant.path());
        if (users.emailTaken(email)) {
            throw new InvalidInput("email", "A user with this email address already exists.");
        }
        tenants.requireRoomForUser(tenant.id());
        String id = Ids.newId("usr");
        users.insert(id, tenant.id(), email, displayName, role, UserAccount.Status.INVITED, null);
        String token = Ids.randomToken(40);
        tokens.insertLink(Ids.newId("ott"), tenant.id(), id, "invite", Hashes.sha256(token), clock.instant().plus(INVITE_VALIDITY));
        String link = properties.baseUrl() + "/invite/" + token;
        events.publishEvent(AuditEvent.success(tenant.id(), actor.userId(), actor.email(), "user.invite", "user", id,
                Map.of("email", email, "role", role.dbValue(), "tenant", tenant.id())));
        boolean mailed = mailer.send(email, "You are invited to VIP Hosting Panel",
                actor.displayName() + " invited you to " + tenant.name() + ".\n\nSet your password within 7 days:\n" + link + "\n");
        return new Invitation(users.find(id, actor.tenantPath()).orElseThrow(), link, mailed);
    }

    @Transactional
    public UserAccount disable(Actor actor, String id) {
        UserAccount user = get(actor, id);
        AccessPolicy.requireUserManagement(actor, user.role(), user.tenantPath());
        if (user.id().equals(actor.userId())) {
            throw new InvalidInput("id", "You cannot disable your own account.");
        }
        users.setStatus(id, UserAccount.Status.DISABLED);
        tokens.revokeAllSessions(id);
        events.publishEvent(AuditEvent.success(user.tenantId(), actor.userId(), actor.email(), "user.disable", "user", id,
                Map.of("before", user.status().dbValue(), "after", "disabled")));
        return get(actor, id);
    }

    @Transactional
    public UserAccount enable(Actor actor, String id) {
        UserAccount user = get(actor, id);
        AccessPolicy.requireUserManagement(actor, user.role(), user.tenantPath());
        if (user.status() != UserAccount.Status.DISABLED) {
            throw new InvalidInput("id", "Only a disabled user can be enabled; this one is " + user.status().dbValue() + ".");
        }
        tenants.requireRoomForUser(user.tenantId());
        UserAccount.Status status = users.credentialsById(id).orElseThrow().passwordHash() == null ? UserAccount.Status.INVITED : UserAccount.Status.ACTIVE;
        users.setStatus(id, status);
        events.publishEvent(AuditEvent.success(user.tenantId(), actor.userId(), actor.email(), "user.enable", "user", id,
                Map.of("before", "disabled", "after", status.dbValue())));
        return get(actor, id);
    }

    /**
     * Moves a platform user between admin and superadmin (superadmins only); the user's sessions end so that the
     * new role applies from their next sign-in. Other users' roles follow their tenant's kind.
     */
    @Transactional
    public UserAccount changeRole(Actor actor, String id, Role role) {
        UserAccount user = get(actor, id);
        AccessPolicy.requireOn(actor, Permission.STAFF_MANAGE, user.tenantPath());
        if (!user.role().isStaff() || !role.isStaff()) {
            throw new InvalidInput("role", "Only platform users change roles (admin or superadmin); other users' roles follow their tenant.");
        }
        if (user.id().equals(actor.userId())) {
            throw new InvalidInput("role", "You cannot change your own role.");
        }
        if (role != user.role()) {
            users.setRole(id, role);
            tokens.revokeAllSessions(id);
            events.publishEvent(AuditEvent.success(user.tenantId(), actor.userId(), actor.email(), "user.role_change", "user", id,
                    Map.of("before", user.role().dbValue(), "after", role.dbValue())));
        }
        return get(actor, id);
    }

    private static Role roleFor(Tenant tenant, @Nullable Role requested) {
        if (tenant.kind() == TenantKind.PLATFORM) {
            Role role = requested == null ? Role.ADMIN : requested;
            if (!role.isStaff()) {
                throw new InvalidInput("role", "Users of the platform are admins or superadmins.");
            }
            return role;
        }
        Role role = tenant.kind() == TenantKind.RESELLER ? Role.RESELLER : Role.CLIENT;
        if (requested != null && requested != role) {
            throw new InvalidInput("role", "Users of a " + tenant.kind().dbValue() + " tenant have the role " + role.dbValue() + ".");
        }
        return role;
    }
}
