package io.vippanel.identity.web;

import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.PageShell;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantOption;
import io.vippanel.tenancy.Tenants;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Adds the layout model to every signed-in page: only sections that exist and that the role may open.
 */
@ControllerAdvice
class ShellAdvice {

    private static final int SWITCHER_LIMIT = 200;

    private final Tenants tenants;

    ShellAdvice(Tenants tenants) {
        this.tenants = tenants;
    }

    @ModelAttribute("shell")
    @Nullable PageShell shell(HttpServletRequest request) {
        if (request.getRequestURI().startsWith("/api/") || request.getRequestURI().startsWith("/events/")
                || request.getDispatcherType() == DispatcherType.ASYNC) {
            // No page around JSON or a live stream; nor on the dispatch that ends a stream, which runs without the
            // request's tenant scope and would only query the database for nothing.
            return null;
        }
        return SignedIn.currentActor().map(actor -> build(actor, request)).orElse(null);
    }

    private PageShell build(Actor actor, HttpServletRequest request) {
        if (SignedIn.isEnrolling()) {
            // Until enrolment is done every other page redirects back to it: offer no links that only bounce.
            return new PageShell(actor.displayName(), actor.email(), actor.role().dbValue(), "", List.of(), List.of(),
                    actor.actingTenantId(), Csrf.of(request), request.getRequestURI(), Toast.of(request),
                    Toast.errorOf(request));
        }
        List<PageShell.NavItem> nav = new ArrayList<>();
        nav.add(new PageShell.NavItem("Dashboard", "/", "▦"));
        if (AccessPolicy.allows(actor, Permission.TENANT_VIEW)) {
            nav.add(new PageShell.NavItem("Tenants", "/tenants", "⌂"));
        }
        if (AccessPolicy.allows(actor, Permission.USER_VIEW)) {
            nav.add(new PageShell.NavItem("Users", "/users", "☺"));
        }
        if (AccessPolicy.allows(actor, Permission.SERVER_VIEW)) {
            nav.add(new PageShell.NavItem("Servers", "/servers", "▤"));
        }
        if (AccessPolicy.allows(actor, Permission.SITE_VIEW)) {
            nav.add(new PageShell.NavItem("Sites", "/sites", "◎"));
        }
        if (AccessPolicy.allows(actor, Permission.DNS_VIEW)) {
            nav.add(new PageShell.NavItem("DNS", "/dns", "◇"));
        }
        if (AccessPolicy.allows(actor, Permission.SSL_VIEW)) {
            nav.add(new PageShell.NavItem("Certificates", "/ssl", "◈"));
        }
        if (AccessPolicy.allows(actor, Permission.SSL_PLATFORM)) {
            nav.add(new PageShell.NavItem("ACME account", "/ssl/acme", "◆"));
        }
        if (AccessPolicy.allows(actor, Permission.PROVIDER_VIEW)) {
            nav.add(new PageShell.NavItem("Provider accounts", "/providers", "☁"));
        }
        if (AccessPolicy.allows(actor, Permission.JOB_VIEW)) {
            nav.add(new PageShell.NavItem("Jobs", "/jobs", "⟳"));
        }
        if (AccessPolicy.allows(actor, Permission.AUDIT_VIEW)) {
            nav.add(new PageShell.NavItem("Audit", "/audit", "☰"));
        }
        nav.add(new PageShell.NavItem("My profile", "/profile", "⚙"));
        List<PageShell.TenantOption> options = List.of();
        String tenantName = actor.email();
        if (AccessPolicy.allows(actor, Permission.TENANT_VIEW)) {
            List<TenantOption> visible = tenants.options(actor.actingIn(actor.tenantId(), actor.tenantPath()), SWITCHER_LIMIT);
            options = visible.stream().map(t -> new PageShell.TenantOption(t.id(), "  ".repeat(Math.max(0, t.depth())) + t.name())).toList();
            tenantName = visible.stream().filter(t -> t.id().equals(actor.actingTenantId())).map(TenantOption::name).findFirst().orElse(tenantName);
        } else {
            tenantName = tenants.find(actor, actor.tenantId()).map(Tenant::name).orElse(tenantName);
        }
        return new PageShell(actor.displayName(), actor.email(), actor.role().dbValue(), tenantName, nav, options,
                actor.actingTenantId(), Csrf.of(request), request.getRequestURI(), Toast.of(request), Toast.errorOf(request));
    }
}
