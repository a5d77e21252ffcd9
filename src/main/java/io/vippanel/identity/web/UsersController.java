package io.vippanel.identity.web;

import io.vippanel.identity.UserAccount;
import io.vippanel.identity.Users;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import io.vippanel.tenancy.Role;
import io.vippanel.tenancy.Tenants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Users of the tenants the actor may see: list, invite (link shown once), disable, enable. */
@Controller
public class UsersController {

    /** A tenant users can be invited into. */
    public record TenantOption(String id, String label, boolean platform) {
    }

    /** The invite form as typed. */
    public record InviteForm(String tenantId, String email, String displayName, String role) {
    }

    /** The users page. */
    public record UsersView(List<UserAccount> users, @Nullable String tenantFilter, boolean canInvite, boolean canManageStaff,
                            List<TenantOption> tenants, InviteForm form, Map<String, String> errors, @Nullable String inviteLink,
                            boolean mailed, String actorId, Csrf csrf) {
    }

    private final Users users;
    private final Tenants tenants;

    UsersController(Users users, Tenants tenants) {
        this.users = users;
        this.tenants = tenants;
    }

    @GetMapping("/users")
    String list(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model,
                @RequestParam(required = false) @Nullable String tenantId) {
        return render(actor, request, model, tenantId, new InviteForm(actor.actingTenantId(), "", "", ""), Map.of(), null, false);
    }

    @PostMapping("/users")
    String invite(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                  @RequestParam(defaultValue = "") String tenantId, @RequestParam(defaultValue = "") String email,
                  @RequestParam(defaultValue = "") String displayName, @RequestParam(defaultValue = "") String role) {
        InviteForm form = new InviteForm(tenantId, email, displayName, role);
        try {
            Validation validation = new Validation();
            String cleanEmail = validation.email("email", email);
            String name = validation.requiredText("displayName", displayName, 120);
            Role requested = null;
            if (!role.isBlank()) {
                try {
                    requested = Role.parse(role);
                } catch (IllegalArgumentException e) {
                    validation.reject("role", "Choose admin or superadmin.");
                }
            }
            validation.throwIfInvalid();
            Users.Invitation invitation = users.invite(actor, tenantId, cleanEmail, name, requested);
            return render(actor, request, model, null, new InviteForm(tenantId, "", "", ""), Map.of(), invitation.link(), invitation.mailed());
        } catch (InvalidInput e) {
            response.setStatus(422);
            return render(actor, request, model, null, form, e.fieldErrors(), null, false);
        }
    }

    @PostMapping("/users/{id}/disable")
    String disable(@AuthenticationPrincipal Actor actor, @PathVariable String id, RedirectAttributes flash) {
        flash.addFlashAttribute(Toast.ATTRIBUTE, users.disable(actor, id).email() + " is disabled and signed out.");
        return "redirect:/users";
    }

    @PostMapping("/users/{id}/role")
    String changeRole(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(defaultValue = "") String role,
                      RedirectAttributes flash) {
        UserAccount user = users.changeRole(actor, id, parseStaffRole(role));
        flash.addFlashAttribute(Toast.ATTRIBUTE, user.email() + " is now " + user.role().dbValue() + ".");
        return "redirect:/users";
    }

    @PostMapping("/users/{id}/enable")
    String enable(@AuthenticationPrincipal Actor actor, @PathVariable String id, RedirectAttributes flash) {
        flash.addFlashAttribute(Toast.ATTRIBUTE, users.enable(actor, id).email() + " is enabled.");
        return "redirect:/users";
    }

    static Role parseStaffRole(String role) {
        try {
            return Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("role", "Choose admin or superadmin.");
        }
    }

    private String render(Actor actor, HttpServletRequest request, Model model, @Nullable String tenantFilter, InviteForm form,
                          Map<String, String> errors, @Nullable String link, boolean mailed) {
        boolean canInvite = AccessPolicy.allows(actor, Permission.USER_MANAGE);
        List<TenantOption> options = canInvite
                ? tenants.options(actor, 500).stream()
                        .map(t -> new TenantOption(t.id(), "  ".repeat(Math.max(0, t.depth())) + t.name() + " (" + t.kind().dbValue() + ")",
                                t.kind() == io.vippanel.tenancy.TenantKind.PLATFORM))
                        .toList()
                : List.of();
        model.addAttribute("view", new UsersView(users.list(actor, tenantFilter, 500, 0), tenantFilter, canInvite,
                AccessPolicy.allows(actor, Permission.STAFF_MANAGE), options, form, errors, link, mailed, actor.userId(), Csrf.of(request)));
        return "pages/users/list";
    }
}
