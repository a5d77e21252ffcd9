package io.vippanel.identity.web;

import io.vippanel.identity.Accounts;
import io.vippanel.identity.ApiToken;
import io.vippanel.identity.Credentials;
import io.vippanel.identity.UserSession;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** My profile: password, two-factor authentication, sessions and API tokens. */
@Controller
public class ProfileController {

    static final String ENROLMENT_SECRET = "vip.2fa.pendingSecret";

    /** Everything the profile page shows. */
    public record ProfileView(boolean twoFactorEnabled, int recoveryCodesLeft, List<UserSession> sessions, List<ApiToken> tokens,
                              @Nullable String newToken, List<String> recoveryCodes, Map<String, String> errors, String notice) {
    }

    /** The enrolment page: QR code, manual key, and the codes after success. */
    public record EnrolmentView(String qrDataUri, String manualKey, Map<String, String> errors, boolean mustEnrol) {
    }

    private final Accounts accounts;
    private final Credentials credentials;

    ProfileController(Accounts accounts, Credentials credentials) {
        this.accounts = accounts;
        this.credentials = credentials;
    }

    @GetMapping("/profile")
    String profile(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model) {
        return render(actor, request, model, null, List.of(), Map.of(), "");
    }

    @PostMapping("/profile/password")
    String password(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                    @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String newPassword) {
        try {
            accounts.changePassword(actor, password, newPassword);
            return render(actor, request, model, null, List.of(), Map.of(), "Your password was changed.");
        } catch (InvalidInput e) {
            response.setStatus(422);
            return render(actor, request, model, null, List.of(), e.fieldErrors(), "");
        }
    }

    @GetMapping("/profile/2fa")
    String enrolPage(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model) {
        if (accounts.twoFactorEnabled(actor)) {
            return "redirect:/profile";
        }
        Accounts.Enrolment enrolment = accounts.beginEnrolment(actor);
        request.getSession().setAttribute(ENROLMENT_SECRET, enrolment.secret());
        return enrolView(model, enrolment, Map.of(), actor);
    }

    @PostMapping("/profile/2fa")
    String confirmEnrolment(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                            @RequestParam(defaultValue = "") String code) {
        HttpSession session = request.getSession();
        if (!(session.getAttribute(ENROLMENT_SECRET) instanceof String secret)) {
            return "redirect:/profile/2fa";
        }
        try {
            List<String> codes = accounts.confirmEnrolment(actor, secret, code);
            session.removeAttribute(ENROLMENT_SECRET);
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(SignedIn.authentication(actor, false));
            SecurityContextHolder.setContext(context);
            new HttpSessionSecurityContextRepository().saveContext(context, request, response);
            return render(actor, request, model, null, codes, Map.of(), "Two-factor authentication is on. Keep these recovery codes somewhere safe: each works once.");
        } catch (InvalidInput e) {
            response.setStatus(422);
            return enrolView(model, accounts.enrolmentFor(actor, secret), e.fieldErrors(), actor);
        }
    }

    @PostMapping("/profile/2fa/disable")
    String disable(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                   @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String code) {
        try {
            accounts.disableTwoFactor(actor, password, code);
            return render(actor, request, model, null, List.of(), Map.of(), "Two-factor authentication is off.");
        } catch (InvalidInput e) {
            response.setStatus(422);
            return render(actor, request, model, null, List.of(), e.fieldErrors(), "");
        }
    }

    @PostMapping("/profile/2fa/recovery-codes")
    String recoveryCodes(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                         @RequestParam(defaultValue = "") String password) {
        try {
            List<String> codes = accounts.regenerateRecoveryCodes(actor, password);
            return render(actor, request, model, null, codes, Map.of(), "New recovery codes; the old ones no longer work.");
        } catch (InvalidInput e) {
            response.setStatus(422);
            return render(actor, request, model, null, List.of(), e.fieldErrors(), "");
        }
    }

    @PostMapping("/profile/sessions/{id}/revoke")
    String revokeSession(@AuthenticationPrincipal Actor actor, @PathVariable String id, RedirectAttributes flash) {
        credentials.revokeSession(actor, id);
        flash.addFlashAttribute(Toast.ATTRIBUTE, "That session is signed out.");
        return "redirect:/profile";
    }

    @PostMapping("/profile/sessions/revoke-others")
    String revokeOthers(@AuthenticationPrincipal Actor actor, HttpServletRequest request, RedirectAttributes flash) {
        int count = credentials.revokeOtherSessions(actor, request.getSession().getId());
        flash.addFlashAttribute(Toast.ATTRIBUTE, count + " other session(s) signed out.");
        return "redirect:/profile";
    }

    @PostMapping("/profile/tokens")
    String createToken(@AuthenticationPrincipal Actor actor, HttpServletRequest request, HttpServletResponse response, Model model,
                       @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String expiresOn) {
        Validation validation = new Validation();
        String tokenName = validation.requiredText("tokenName", name, 80);
        java.time.Instant expiresAt = null;
        if (!expiresOn.isBlank()) {
            try {
                expiresAt = LocalDate.parse(expiresOn.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                validation.reject("expiresOn", "Use a date like 2027-01-31.");
            }
        }
        try {
            validation.throwIfInvalid();
            String secret = credentials.createToken(actor, tokenName, expiresAt);
            return render(actor, request, model, secret, List.of(), Map.of(), "Copy the token now: it is shown only once.");
        } catch (InvalidInput e) {
            response.setStatus(422);
            return render(actor, request, model, null, List.of(), e.fieldErrors(), "");
        }
    }

    @PostMapping("/profile/tokens/{id}/revoke")
    String revokeToken(@AuthenticationPrincipal Actor actor, @PathVariable String id, RedirectAttributes flash) {
        credentials.revokeToken(actor, id);
        flash.addFlashAttribute(Toast.ATTRIBUTE, "The token is revoked.");
        return "redirect:/profile";
    }

    private String render(Actor actor, HttpServletRequest request, Model model, @Nullable String newToken, List<String> codes,
                          Map<String, String> errors, String notice) {
        model.addAttribute("profile", new ProfileView(accounts.twoFactorEnabled(actor), accounts.remainingRecoveryCodes(actor),
                credentials.sessions(actor, request.getSession().getId()), credentials.tokens(actor), newToken, codes, errors, notice));
        return "pages/profile/profile";
    }

    private String enrolView(Model model, Accounts.Enrolment enrolment, Map<String, String> errors, Actor actor) {
        String dataUri = "data:image/svg+xml;base64,"
                + java.util.Base64.getEncoder().encodeToString(enrolment.qrSvg().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        model.addAttribute("enrolment", new EnrolmentView(dataUri, enrolment.secret().replaceAll("(.{4})", "$1 ").strip(), errors,
                accounts.mustEnrol(actor)));
        return "pages/profile/enrol";
    }
}
