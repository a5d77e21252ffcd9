package io.vippanel.identity.web;

import io.vippanel.identity.Users;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.Tenants;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The dashboard (counts for the current scope) and the tenant switcher. */
@Controller
public class DashboardController {

    /** Counts shown on the dashboard. */
    public record Counts(int tenants, int users, boolean showTenants) {
    }

    private final Tenants tenants;
    private final Users users;

    DashboardController(Tenants tenants, Users users) {
        this.tenants = tenants;
        this.users = users;
    }

    @GetMapping("/")
    String dashboard(@AuthenticationPrincipal Actor actor, Model model) {
        boolean showTenants = AccessPolicy.allows(actor, Permission.TENANT_VIEW);
        model.addAttribute("counts", new Counts(showTenants ? tenants.count(actor) : 0, users.count(actor), showTenants));
        return "pages/dashboard";
    }

    @PostMapping("/switch-tenant")
    String switchTenant(@AuthenticationPrincipal Actor actor, @RequestParam String tenantId, HttpServletRequest request,
                        jakarta.servlet.http.HttpServletResponse response) {
        var tenant = tenants.get(actor, tenantId);
        Actor switched = actor.actingIn(tenant.id(), tenant.path());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(SignedIn.authentication(switched, false));
        SecurityContextHolder.setContext(context);
        new HttpSessionSecurityContextRepository().saveContext(context, request, response);
        return "redirect:/";
    }
}
