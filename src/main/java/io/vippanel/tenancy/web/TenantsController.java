package io.vippanel.tenancy.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRedirectView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantKind;
import io.vippanel.tenancy.Tenants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The tenant tree: list, create, edit limits, suspend and resume, require 2FA. */
@Controller
public class TenantsController {

    public static final String LIST = "/tenants";
    public static final String FORM_ID = "tenant-form";
    private static final int PAGE_SIZE = 100;

    /** A tenant the new one may be created under. */
    public record ParentOption(String id, String label, String kind) {
    }

    /** The create form with what it needs to render. */
    public record CreateForm(TenantForm form, Map<String, String> errors, List<ParentOption> parents, Csrf csrf) {
    }

    /** The list page. */
    public record ListView(List<Tenant> tenants, int total, int offset, int pageSize, boolean canCreate, CreateForm create) {
    }

    /** The detail page. */
    public record DetailView(Tenant tenant, TenantForm form, Map<String, String> errors, boolean canManage, boolean canSetSecurity,
                             String notice) {
    }

    private final Tenants tenants;

    TenantsController(Tenants tenants) {
        this.tenants = tenants;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model,
                @RequestParam(defaultValue = "0") int offset) {
        model.addAttribute("view", listView(actor, request, Math.max(0, offset), TenantForm.EMPTY, Map.of()));
        return "pages/tenants/list";
    }

    @PostMapping(LIST)
    Object create(@AuthenticationPrincipal Actor actor, @ModelAttribute TenantForm form, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        try {
            TenantForm.Valid valid = form.validate(true);
            Tenant created = tenants.create(actor, valid.parentId(), valid.kind(), valid.name(), valid.limits());
            return redirect(htmx, LIST + "/" + created.id() + "?created");
        } catch (InvalidInput e) {
            response.setStatus(422);
            if (htmx.isHtmxRequest() && FORM_ID.equals(htmx.getTarget())) {
                model.addAttribute("create", createForm(actor, request, form, e.fieldErrors()));
                return "components/tenant-form";
            }
            model.addAttribute("view", listView(actor, request, 0, form, e.fieldErrors()));
            return "pages/tenants/list";
        }
    }

    @GetMapping(LIST + "/{id}")
    String detail(@AuthenticationPrincipal Actor actor, @PathVariable String id, Model model,
                  @RequestParam(required = false) String created) {
        AccessPolicy.require(actor, Permission.TENANT_VIEW);
        Tenant tenant = tenants.get(actor, id);
        model.addAttribute("view", detailView(actor, tenant, formOf(tenant), Map.of(), created != null ? "Tenant created." : ""));
        return "pages/tenants/detail";
    }

    @PostMapping(LIST + "/{id}")
    Object update(@AuthenticationPrincipal Actor actor, @PathVariable String id, @ModelAttribute TenantForm form, HtmxRequest htmx,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            TenantForm.Valid valid = form.validate(false);
            tenants.update(actor, id, valid.name(), valid.limits());
            flash.addFlashAttribute(Toast.ATTRIBUTE, "Saved.");
            return redirect(htmx, LIST + "/" + id);
        } catch (InvalidInput e) {
            response.setStatus(422);
            model.addAttribute("view", detailView(actor, tenants.get(actor, id), form, e.fieldErrors(), ""));
            return "pages/tenants/detail";
        }
    }

    @PostMapping(LIST + "/{id}/suspend")
    Object suspend(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        flash.addFlashAttribute(Toast.ATTRIBUTE, tenants.suspend(actor, id).name() + " is suspended: its users and API tokens are locked out.");
        return redirect(htmx, LIST + "/" + id);
    }

    @PostMapping(LIST + "/{id}/resume")
    Object resume(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        flash.addFlashAttribute(Toast.ATTRIBUTE, tenants.resume(actor, id).name() + " is active again.");
        return redirect(htmx, LIST + "/" + id);
    }

    @PostMapping(LIST + "/{id}/require-2fa")
    Object require2fa(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(defaultValue = "false") boolean required,
                      HtmxRequest htmx, RedirectAttributes flash) {
        tenants.setRequire2fa(actor, id, required);
        flash.addFlashAttribute(Toast.ATTRIBUTE, required ? "Two-factor authentication is now required." : "Two-factor authentication is now optional.");
        return redirect(htmx, LIST + "/" + id);
    }

    private static Object redirect(HtmxRequest htmx, String url) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() ? (View) new HtmxRedirectView(url) : "redirect:" + url;
    }

    private ListView listView(Actor actor, HttpServletRequest request, int offset, TenantForm form, Map<String, String> errors) {
        List<Tenant> page = tenants.list(actor, PAGE_SIZE, offset);
        return new ListView(page, tenants.count(actor), offset, PAGE_SIZE, AccessPolicy.allows(actor, Permission.TENANT_CREATE),
                createForm(actor, request, form, errors));
    }

    private CreateForm createForm(Actor actor, HttpServletRequest request, TenantForm form, Map<String, String> errors) {
        List<ParentOption> parents = AccessPolicy.allows(actor, Permission.TENANT_CREATE)
                ? tenants.options(actor, 500).stream()
                        .filter(t -> t.kind() != TenantKind.CLIENT && AccessPolicy.allowsOn(actor, Permission.TENANT_CREATE, t.path()))
                        .map(t -> new ParentOption(t.id(), "  ".repeat(Math.max(0, t.depth())) + t.name() + " (" + t.kind().dbValue() + ")",
                                t.kind().dbValue()))
                        .toList()
                : List.of();
        TenantForm shown = form.parentId() == null || form.parentId().isBlank()
                ? new TenantForm(actor.actingTenantId(), form.kind(), form.name(), form.maxServers(), form.maxSites(), form.maxMailboxes(), form.maxUsers())
                : form;
        return new CreateForm(shown, errors, parents, Csrf.of(request));
    }

    private static DetailView detailView(Actor actor, Tenant tenant, TenantForm form, Map<String, String> errors, String notice) {
        return new DetailView(tenant, form, errors, AccessPolicy.allowsOn(actor, Permission.TENANT_MANAGE, tenant.path()),
                AccessPolicy.allowsOn(actor, Permission.TENANT_SECURITY, tenant.path()), notice);
    }

    private static TenantForm formOf(Tenant tenant) {
        Limits limits = tenant.limits();
        return new TenantForm(tenant.parentId(), tenant.kind().dbValue(), tenant.name(), TenantForm.text(limits.maxServers()),
                TenantForm.text(limits.maxSites()), TenantForm.text(limits.maxMailboxes()), TenantForm.text(limits.maxUsers()));
    }
}
