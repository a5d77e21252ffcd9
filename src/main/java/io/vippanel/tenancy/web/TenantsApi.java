package io.vippanel.tenancy.web;

import io.vippanel.platform.Validation;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantKind;
import io.vippanel.tenancy.Tenants;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tenants}: the tenant tree for API tokens, with the same rules as the pages. */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantsApi {

    record LimitsJson(@Nullable Integer maxServers, @Nullable Integer maxSites, @Nullable Integer maxMailboxes, @Nullable Integer maxUsers) {
        static LimitsJson of(Limits limits) {
            return new LimitsJson(limits.maxServers(), limits.maxSites(), limits.maxMailboxes(), limits.maxUsers());
        }

        Limits toLimits() {
            Validation validation = new Validation();
            check(validation, "limits.maxServers", maxServers);
            check(validation, "limits.maxSites", maxSites);
            check(validation, "limits.maxMailboxes", maxMailboxes);
            check(validation, "limits.maxUsers", maxUsers);
            validation.throwIfInvalid();
            return new Limits(maxServers, maxSites, maxMailboxes, maxUsers);
        }

        private static void check(Validation validation, String field, @Nullable Integer value) {
            if (value != null && (value < 0 || value > 1_000_000)) {
                validation.reject(field, "must be from 0 to 1000000, or null for no limit");
            }
        }
    }

    record TenantJson(String id, @Nullable String parentId, String kind, String name, String status, boolean blocked,
                      boolean require2fa, LimitsJson limits, Instant createdAt) {
        static TenantJson of(Tenant tenant) {
            return new TenantJson(tenant.id(), tenant.parentId(), tenant.kind().dbValue(), tenant.name(),
                    tenant.suspended() ? "suspended" : "active", tenant.blocked(), tenant.require2fa(), LimitsJson.of(tenant.limits()),
                    tenant.createdAt());
        }
    }

    record CreateTenant(@Nullable String parentId, @Nullable String kind, @Nullable String name, @Nullable LimitsJson limits) {
    }

    record UpdateTenant(@Nullable String name, @Nullable LimitsJson limits) {
    }

    record Page<T>(List<T> items, int total, int limit, int offset) {
    }

    private final Tenants tenants;

    TenantsApi(Tenants tenants) {
        this.tenants = tenants;
    }

    @GetMapping
    Page<TenantJson> list(@AuthenticationPrincipal Actor actor, @RequestParam(defaultValue = "100") int limit,
                          @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, 500);
        return new Page<>(tenants.list(actor, limit, offset).stream().map(TenantJson::of).toList(), tenants.count(actor), limit, offset);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TenantJson create(@AuthenticationPrincipal Actor actor, @RequestBody CreateTenant request) {
        Validation validation = new Validation();
        String name = validation.requiredText("name", request.name(), 120);
        String parentId = validation.requiredText("parentId", request.parentId(), 40);
        TenantKind kind = TenantKind.CLIENT;
        try {
            kind = TenantKind.parseChild(request.kind() == null ? "" : request.kind());
        } catch (IllegalArgumentException e) {
            validation.reject("kind", "must be reseller or client");
        }
        validation.throwIfInvalid();
        Limits limits = request.limits() == null ? Limits.NONE : request.limits().toLimits();
        return TenantJson.of(tenants.create(actor, parentId, kind, name, limits));
    }

    @GetMapping("/{id}")
    TenantJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        io.vippanel.tenancy.AccessPolicy.require(actor, io.vippanel.tenancy.Permission.TENANT_VIEW);
        return TenantJson.of(tenants.get(actor, id));
    }

    @PatchMapping("/{id}")
    TenantJson update(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody UpdateTenant request) {
        Tenant current = tenants.get(actor, id);
        Validation validation = new Validation();
        String name = request.name() == null ? current.name() : validation.requiredText("name", request.name(), 120);
        validation.throwIfInvalid();
        Limits limits = request.limits() == null ? current.limits() : request.limits().toLimits();
        return TenantJson.of(tenants.update(actor, id, name, limits));
    }

    @PostMapping("/{id}/suspend")
    TenantJson suspend(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return TenantJson.of(tenants.suspend(actor, id));
    }

    @PostMapping("/{id}/resume")
    TenantJson resume(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return TenantJson.of(tenants.resume(actor, id));
    }
}
