package io.vippanel.tenancy;

import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.tenancy.internal.TenantRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tenant tree: create resellers and clients, change limits, suspend; every call checks the access policy.
 */
@Service
public class Tenants {

    private static final int MAX_PAGE = 500;

    private final TenantRepository repository;
    private final ApplicationEventPublisher events;

    Tenants(TenantRepository repository, ApplicationEventPublisher events) {
        this.repository = repository;
        this.events = events;
    }

    /** The platform tenant, created on first use. */
    @Transactional
    public Tenant platform() {
        return repository.findPlatform().orElseGet(() -> {
            String id = Ids.newId("ten");
            repository.insert(id, null, TenantKind.PLATFORM, "Platform", "/" + id + "/", false, Limits.NONE);
            return repository.findPlatform().orElseThrow();
        });
    }

    @Transactional(readOnly = true)
    public Tenant get(Actor actor, String id) {
        return find(actor, id).orElseThrow(() -> new NotFound("tenant", id));
    }

    @Transactional(readOnly = true)
    public Optional<Tenant> find(Actor actor, String id) {
        if (!Ids.looksLike("ten", id)) {
            return Optional.empty();
        }
        return repository.find(id, actor.tenantPath());
    }

    /** Tenant by id without an actor, for system work such as login checks; the caller sets a scope. */
    @Transactional(readOnly = true)
    public Optional<Tenant> findForSystem(String id) {
        return repository.find(id, "/");
    }

    @Transactional(readOnly = true)
    public List<Tenant> list(Actor actor, int limit, int offset) {
        AccessPolicy.require(actor, Permission.TENANT_VIEW);
        return repository.subtree(actor.actingTenantPath(), Math.clamp(limit, 1, MAX_PAGE), Math.max(0, offset));
    }

    /** The tenants the actor works in (up to a limit) as light options for pickers such as the tenant switcher. */
    @Transactional(readOnly = true)
    public List<TenantOption> options(Actor actor, int limit) {
        AccessPolicy.require(actor, Permission.TENANT_VIEW);
        return repository.options(actor.actingTenantPath(), Math.clamp(limit, 1, MAX_PAGE));
    }

    @Transactional(readOnly = true)
    public int count(Actor actor) {
        return repository.countSubtree(actor.actingTenantPath());
    }

    @Transactional
    public Tenant create(Actor actor, String parentId, TenantKind kind, String name, Limits limits) {
        Tenant parent = find(actor, parentId).orElseThrow(() -> new NotFound("tenant", parentId));
        AccessPolicy.requireOn(actor, Permission.TENANT_CREATE, parent.path());
        if (!kind.mayHaveParent(parent.kind())) {
            throw new InvalidInput("kind", "A " + kind.dbValue() + " cannot be created under a " + parent.kind().dbValue() + ".");
        }
        Map<String, String> errors = new LinkedHashMap<>(limits.exceeding(parent.limits()));
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String id = Ids.newId("ten");
        repository.insert(id, parent.id(), kind, name, parent.path() + id + "/", false, limits);
        Tenant created = repository.find(id, actor.tenantPath()).orElseThrow();
        audit(actor, created, "tenant.create", Map.of("name", name, "kind", kind.dbValue(), "parent", parent.id(), "limits", limits.toString()));
        return created;
    }

    @Transactional
    public Tenant update(Actor actor, String id, String name, Limits limits) {
        Tenant tenant = get(actor, id);
        AccessPolicy.requireOn(actor, Permission.TENANT_MANAGE, tenant.path());
        Tenant parent = tenant.parentId() == null ? null : repository.find(tenant.parentId(), "/").orElse(null);
        Map<String, String> errors = new LinkedHashMap<>(parent == null ? Map.of() : limits.exceeding(parent.limits()));
        for (Limits child : repository.childLimits(id)) {
            child.exceeding(limits).keySet().forEach(field ->
                    errors.putIfAbsent(field, "A tenant below this one has a higher limit; lower it first."));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        repository.update(id, name, limits);
        audit(actor, tenant, "tenant.update", Map.of("before", Map.of("name", tenant.name(), "limits", tenant.limits().toString()),
                "after", Map.of("name", name, "limits", limits.toString())));
        return get(actor, id);
    }

    @Transactional
    public Tenant suspend(Actor actor, String id) {
        return changeStatus(actor, id, "suspended", "tenant.suspend");
    }

    @Transactional
    public Tenant resume(Actor actor, String id) {
        return changeStatus(actor, id, "active", "tenant.resume");
    }

    private Tenant changeStatus(Actor actor, String id, String status, String action) {
        Tenant tenant = get(actor, id);
        AccessPolicy.requireOn(actor, Permission.TENANT_MANAGE, tenant.path());
        repository.setStatus(id, status);
        audit(actor, tenant, action, Map.of("before", tenant.suspended() ? "suspended" : "active", "after", status));
        return get(actor, id);
    }

    @Transactional
    public Tenant setRequire2fa(Actor actor, String id, boolean required) {
        Tenant tenant = get(actor, id);
        AccessPolicy.requireOn(actor, Permission.TENANT_SECURITY, tenant.path());
        repository.setRequire2fa(id, required);
        audit(actor, tenant, "tenant.require_2fa", Map.of("before", tenant.require2fa(), "after", required));
        return get(actor, id);
    }

    /** Refuses a new user when this tenant or an ancestor has reached its user limit. */
    @Transactional(readOnly = true)
    public void requireRoomForUser(String tenantId) {
        repository.userLimitReachedAt(tenantId).ifPresent(name -> {
            throw new InvalidInput("email", "The user limit of tenant \"" + name + "\" is reached.");
        });
    }

    private void audit(Actor actor, Tenant target, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(target.id(), actor.userId(), actor.email(), action, "tenant", target.id(), details));
    }
}
