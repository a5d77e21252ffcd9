package io.vippanel.ssl.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.AcmeAccountView;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The platform's ACME account page: which CA certificates are ordered from, its terms of service shown before the
 * admin accepts them, and the accounts made so far.
 */
@Controller
public class AcmeAccountController {

    public static final String PAGE = "/ssl/acme";

    /** The page; {@code terms} is the chosen CA's terms of service once the admin asked for them. */
    public record AcmeView(List<AcmeAccountView> accounts, String directoryUrl, String contactEmail, @Nullable String terms,
                           boolean termsShown, Map<String, String> errors, Csrf csrf) {
    }

    private final AcmeAccountSettings settings;

    AcmeAccountController(AcmeAccountSettings settings) {
        this.settings = settings;
    }

    @GetMapping(PAGE)
    String page(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model) {
        model.addAttribute("view", new AcmeView(settings.list(actor), settings.defaultDirectory(), "", null, false, Map.of(),
                Csrf.of(request)));
        return "pages/ssl/acme";
    }

    /** Step one: reads the CA's terms of service so that the admin sees them before accepting. */
    @PostMapping(PAGE + "/terms")
    String terms(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String directoryUrl,
                 @RequestParam(required = false) @Nullable String contactEmail, HttpServletRequest request,
                 HttpServletResponse response, Model model) {
        String url = directoryUrl == null || directoryUrl.isBlank() ? settings.defaultDirectory() : directoryUrl.strip();
        String email = contactEmail == null ? "" : contactEmail.strip();
        try {
            String terms = settings.termsOfService(actor, url).map(Object::toString).orElse(null);
            model.addAttribute("view", new AcmeView(settings.list(actor), url, email, terms, true, Map.of(), Csrf.of(request)));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", new AcmeView(settings.list(actor), url, email, null, false, e.fieldErrors(), Csrf.of(request)));
        }
        return "pages/ssl/acme";
    }

    /** Step two: makes the account, only with the terms accepted. */
    @PostMapping(PAGE)
    String register(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String directoryUrl,
                    @RequestParam(required = false) @Nullable String contactEmail,
                    @RequestParam(defaultValue = "false") boolean acceptTerms, HtmxRequest htmx, HttpServletRequest request,
                    HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            AcmeAccountView account = settings.register(actor, directoryUrl, contactEmail, acceptTerms);
            flash.addFlashAttribute(Toast.ATTRIBUTE, "The platform's account at " + account.directoryUrl() + " is ready.");
            return "redirect:" + PAGE;
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            String url = directoryUrl == null || directoryUrl.isBlank() ? settings.defaultDirectory() : directoryUrl.strip();
            model.addAttribute("view", new AcmeView(settings.list(actor), url, contactEmail == null ? "" : contactEmail, null,
                    false, e.fieldErrors(), Csrf.of(request)));
            return "pages/ssl/acme";
        }
    }
}
