package io.vippanel.servers.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderAccount;
import io.vippanel.servers.ProviderAccounts;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Provider accounts: the list with the add form, a live connection test, delete, and each account's catalog as
 * the fragment the server wizard swaps in.
 */
@Controller
public class ProvidersController {

    public static final String LIST = "/providers";
    public static final String FORM_ID = "provider-form";
    /** The field key under which a provider's refusal of the credentials is shown. */
    public static final String CREDENTIALS = "credentials";

    public static String account(String id) {
        return LIST + "/" + id;
    }

    public static String catalog(String id) {
        return account(id) + "/catalog";
    }

    /** The list page; {@code form} and {@code errors} belong to the add form. */
    public record ListView(List<ProviderAccount> accounts, ProviderForm form, Map<String, String> errors, boolean canManage,
                           boolean canShare, Csrf csrf) {

        public boolean kindIs(String kind) {
            return kind.equalsIgnoreCase(form.text(form.kind()));
        }
    }

    private final ProviderAccounts accounts;

    ProvidersController(ProviderAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model) {
        model.addAttribute("view", listView(actor, request, ProviderForm.EMPTY, Map.of()));
        return "pages/providers/list";
    }

    @PostMapping(LIST)
    Object create(@AuthenticationPrincipal Actor actor, @ModelAttribute ProviderForm form, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        Map<String, String> errors;
        try {
            ProviderAccount created = accounts.create(actor, form.toNewAccount());
            flash.addFlashAttribute(Toast.ATTRIBUTE, created.name() + " added: its credentials are stored encrypted and never shown again.");
            return ServerPages.redirect(htmx, LIST);
        } catch (InvalidInput e) {
            errors = e.fieldErrors();
        } catch (ProviderException e) {
            // The provider refused or did not answer: nothing was stored, and the form says why.
            errors = Map.of(CREDENTIALS, "Nothing was saved. " + e.userMessage());
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("view", listView(actor, request, form.withoutSecrets(), errors));
        return htmx.isHtmxRequest() && FORM_ID.equals(htmx.getTarget()) ? "pages/providers/form" : "pages/providers/list";
    }

    @PostMapping(LIST + "/{id}/test")
    Object test(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        ProviderAccount checked = accounts.testConnection(actor, id);
        if (Boolean.TRUE.equals(checked.lastCheckOk())) {
            flash.addFlashAttribute(Toast.ATTRIBUTE, checked.name() + ": connection OK. " + String.valueOf(checked.lastCheckNote()));
        } else {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, checked.name() + ": connection failed. " + String.valueOf(checked.lastCheckNote()));
        }
        return ServerPages.redirect(htmx, LIST);
    }

    @PostMapping(LIST + "/{id}/delete")
    Object delete(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        String name = accounts.get(actor, id).name();
        try {
            accounts.delete(actor, id);
            flash.addFlashAttribute(Toast.ATTRIBUTE, name + " deleted.");
        } catch (InvalidInput e) {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, ServerPages.sentence(e.getMessage()));
        }
        return ServerPages.redirect(htmx, LIST);
    }

    /**
     * The wizard's region, size and image choices for an account. A provider that fails gives an N/A box with its
     * message and a retry, answered 200 so that the page swaps it in and keeps working.
     */
    @GetMapping(LIST + "/{id}/catalog")
    String catalog(@AuthenticationPrincipal Actor actor, @PathVariable String id, Model model,
                   @RequestParam(defaultValue = "") String region, @RequestParam(defaultValue = "") String size,
                   @RequestParam(defaultValue = "") String image) {
        accounts.get(actor, id);
        model.addAttribute("view", catalogView(accounts, actor, id, region, size, image, Map.of()));
        return "pages/servers/catalog";
    }

    static CatalogView catalogView(ProviderAccounts accounts, Actor actor, String id, String region, String size, String image,
                                   Map<String, String> errors) {
        String os = image.isBlank() ? OsImage.UBUNTU_24_04.name() : image;
        try {
            return new CatalogView(id, accounts.catalog(actor, id), null, region, size, os, errors);
        } catch (ProviderException e) {
            return new CatalogView(id, null, e.userMessage(), region, size, os, errors);
        }
    }

    private ListView listView(Actor actor, HttpServletRequest request, ProviderForm form, Map<String, String> errors) {
        return new ListView(accounts.list(actor), form, errors, AccessPolicy.allows(actor, Permission.PROVIDER_MANAGE),
                AccessPolicy.allows(actor, Permission.PROVIDER_SHARE), Csrf.of(request));
    }
}
