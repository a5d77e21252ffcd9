package io.vippanel.sites.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Toast;
import io.vippanel.sites.Site;
import io.vippanel.sites.Sites;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How the actions on a site answer: on success back to a tab with a toast (HTMX follows the redirect, a browser without
 * JavaScript too); a refusal shows the page again with 422, the tab of the form, the reasons next to its fields and
 * what was typed; a secret shown once is a 200 page that is never redirected to (so it is not in any history).
 */
@Component
class SiteAnswers {

    /** The request an action answers. */
    record Call(Actor actor, String siteId, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model,
                RedirectAttributes flash) {
    }

    /** The toast and the page an action leads to. */
    record Done(String toast, String location) {
    }

    private final Sites sites;
    private final SitesController pages;

    SiteAnswers(Sites sites, SitesController pages) {
        this.sites = sites;
        this.pages = pages;
    }

    /** Runs the action; success redirects, a refusal shows {@code tab} with the form's errors. */
    Object act(Call call, SiteTab tab, Supplier<Done> action) {
        try {
            Done done = action.get();
            call.flash().addFlashAttribute(Toast.ATTRIBUTE, done.toast());
            return SitePages.redirect(call.htmx(), done.location());
        } catch (InvalidInput e) {
            return refused(call, tab, e);
        }
    }

    /** Runs the action and shows {@code tab} with the secret it returns, once. */
    Object reveal(Call call, SiteTab tab, String secretOf, Supplier<String> action) {
        try {
            String secret = action.get();
            return page(call, tab, SiteView.Extras.secret(secret, secretOf));
        } catch (InvalidInput e) {
            return refused(call, tab, e);
        }
    }

    /** Runs an action that created something with a secret, and shows {@code tab} with it, once. */
    Object revealCreated(Call call, SiteTab tab, Supplier<SiteView.Extras> action) {
        try {
            return page(call, tab, action.get());
        } catch (InvalidInput e) {
            return refused(call, tab, e);
        }
    }

    Object refused(Call call, SiteTab tab, InvalidInput e) {
        call.response().setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return page(call, tab, new SiteView.Extras(e.fieldErrors(), typed(call.request()), null, null));
    }

    private String page(Call call, SiteTab tab, SiteView.Extras extras) {
        Site site = sites.get(call.actor(), call.siteId());
        call.model().addAttribute("view", pages.view(call.actor(), call.request(), site, tab, null, null, extras));
        return "pages/sites/detail";
    }

    /** What the form sent, to show again (the CSRF token is the page's own). */
    private static Map<String, String> typed(HttpServletRequest request) {
        Map<String, String> typed = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals("_csrf") && values.length > 0) {
                typed.put(name, values[0]);
            }
        });
        return typed;
    }
}
