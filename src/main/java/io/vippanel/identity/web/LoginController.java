package io.vippanel.identity.web;

import io.vippanel.identity.Accounts;
import io.vippanel.identity.Credentials;
import io.vippanel.identity.LoginResult;
import io.vippanel.identity.Onboarding;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.platform.web.Csrf;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-in (password, then code), first-run setup, accepting invitations and password resets. */
@Controller
class LoginController {

    static final String PENDING_USER = "vip.login.pendingUser";

    private final Accounts accounts;
    private final Credentials credentials;
    private final Onboarding onboarding;
    private final HttpSessionSecurityContextRepository contextRepository = new HttpSessionSecurityContextRepository();

    LoginController(Accounts accounts, Credentials credentials, Onboarding onboarding) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.onboarding = onboarding;
    }

    @GetMapping("/login")
    String loginPage(HttpServletRequest request, Model model, @RequestParam(required = false) @Nullable String ended,
                     @RequestParam(required = false) @Nullable String signedOut, @RequestParam(required = false) @Nullable String reset) {
        String notice = ended != null ? "Your session ended. Please sign in again."
                : signedOut != null ? "You are signed out."
                : reset != null ? "Your password is set. Sign in with it now." : "";
        return page(model, request, "pages/login", Map.of("email", "", "error", "", "notice", notice));
    }

    @PostMapping("/login")
    String login(HttpServletRequest request, HttpServletResponse response, Model model,
                 @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password) {
        LoginResult result = accounts.login(email, password, RequestOrigin.of(request));
        return switch (result) {
            case LoginResult.Failed failed -> {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                yield page(model, request, "pages/login", Map.of("email", email.length() > 254 ? "" : email, "error", failed.message(), "notice", ""));
            }
            case LoginResult.NeedsCode needsCode -> {
                request.getSession(true).setAttribute(PENDING_USER, needsCode.userId());
                yield "redirect:/login/2fa";
            }
            case LoginResult.SignedIn signedIn -> establish(request, response, signedIn);
        };
    }

    @GetMapping("/login/2fa")
    String codePage(HttpServletRequest request, Model model) {
        HttpSession session = request.getSession(false);
        if (session == null || session.getAttribute(PENDING_USER) == null) {
            return "redirect:/login";
        }
        return page(model, request, "pages/login-2fa", Map.of("error", ""));
    }

    @PostMapping("/login/2fa")
    String code(HttpServletRequest request, HttpServletResponse response, Model model, @RequestParam(defaultValue = "") String code) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(PENDING_USER) instanceof String userId)) {
            return "redirect:/login";
        }
        LoginResult result = accounts.secondFactor(userId, code, RequestOrigin.of(request));
        if (result instanceof LoginResult.SignedIn signedIn) {
            session.removeAttribute(PENDING_USER);
            return establish(request, response, signedIn);
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        return page(model, request, "pages/login-2fa", Map.of("error", ((LoginResult.Failed) result).message()));
    }

    @GetMapping("/setup/{token}")
    String setupPage(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!onboarding.setupLinkValid(token)) {
            response.setStatus(HttpServletResponse.SC_GONE);
            return page(model, request, "pages/link-invalid", Map.of("message", "This setup link is not valid any more. "
                    + "If the panel has no superadmin yet, restart it to print a new link."));
        }
        return page(model, request, "pages/setup", Map.of("token", token, "email", "", "displayName", "", "errors", Map.of()));
    }

    @PostMapping("/setup/{token}")
    String setup(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model,
                 @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String displayName,
                 @RequestParam(defaultValue = "") String password) {
        try {
            Actor actor = onboarding.completeSetup(token, email, displayName, password);
            return establish(request, response, new LoginResult.SignedIn(actor, true));
        } catch (InvalidInput e) {
            response.setStatus(422);
            return page(model, request, "pages/setup", Map.of("token", token, "email", email, "displayName", displayName, "errors", e.fieldErrors()));
        }
    }

    @GetMapping("/invite/{token}")
    String invitePage(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model) {
        return onboarding.invitedEmail(token)
                .map(email -> page(model, request, "pages/set-password", Map.of("action", "/invite/" + token, "email", email,
                        "heading", "Welcome! Choose your password", "errors", Map.of())))
                .orElseGet(() -> {
                    response.setStatus(HttpServletResponse.SC_GONE);
                    return page(model, request, "pages/link-invalid", Map.of("message", "This invitation link is not valid any more. Ask for a new invitation."));
                });
    }

    @PostMapping("/invite/{token}")
    String acceptInvite(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model,
                        @RequestParam(defaultValue = "") String password) {
        try {
            onboarding.acceptInvitation(token, password);
            return "redirect:/login?reset";
        } catch (InvalidInput e) {
            response.setStatus(422);
            return page(model, request, "pages/set-password", Map.of("action", "/invite/" + token,
                    "email", onboarding.invitedEmail(token).orElse(""), "heading", "Welcome! Choose your password", "errors", e.fieldErrors()));
        }
    }

    @GetMapping("/forgot")
    String forgotPage(HttpServletRequest request, Model model) {
        return page(model, request, "pages/forgot", Map.of("sent", false));
    }

    @PostMapping("/forgot")
    String forgot(HttpServletRequest request, Model model, @RequestParam(defaultValue = "") String email) {
        onboarding.requestPasswordReset(email, RequestOrigin.of(request));
        return page(model, request, "pages/forgot", Map.of("sent", true));
    }

    @GetMapping("/reset/{token}")
    String resetPage(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!onboarding.resetLinkValid(token)) {
            response.setStatus(HttpServletResponse.SC_GONE);
            return page(model, request, "pages/link-invalid", Map.of("message", "This reset link is not valid any more. Ask for a new one."));
        }
        return page(model, request, "pages/set-password", Map.of("action", "/reset/" + token, "email", "", "heading", "Choose a new password",
                "errors", Map.of()));
    }

    @PostMapping("/reset/{token}")
    String reset(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model,
                 @RequestParam(defaultValue = "") String password) {
        try {
            onboarding.resetPassword(token, password);
            return "redirect:/login?reset";
        } catch (InvalidInput e) {
            response.setStatus(422);
            return page(model, request, "pages/set-password", Map.of("action", "/reset/" + token, "email", "", "heading", "Choose a new password",
                    "errors", e.fieldErrors()));
        }
    }

    /** Signs the actor in: a new session id, the security context in the session, a row in the session list. */
    private String establish(HttpServletRequest request, HttpServletResponse response, LoginResult.SignedIn signedIn) {
        request.getSession(true);
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(SignedIn.authentication(signedIn.actor(), signedIn.mustEnrol()));
        SecurityContextHolder.setContext(context);
        contextRepository.saveContext(context, request, response);
        credentials.sessionStarted(signedIn.actor(), request.getSession().getId(), RequestOrigin.of(request));
        return signedIn.mustEnrol() ? "redirect:/profile/2fa" : "redirect:/";
    }

    static String page(Model model, HttpServletRequest request, String view, Map<String, ?> attributes) {
        model.addAllAttributes(attributes);
        model.addAttribute("csrf", Csrf.of(request));
        return view;
    }
}
