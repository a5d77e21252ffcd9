package io.vippanel.servers.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Toast;
import io.vippanel.servers.ServerAccess;
import io.vippanel.servers.Servers;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What people do with a server. Each action queues a job and comes back to the server's page with a toast (HTMX
 * follows the redirect, a browser without JavaScript too); a refusal shows the page again with 422 and the reason
 * next to the form, keeping what was typed.
 */
@Controller
@RequestMapping(ServersController.LIST + "/{id}")
class ServerActionsController {

    private final Servers servers;
    private final ServerAccess access;
    private final ServersController pages;

    ServerActionsController(Servers servers, ServerAccess access, ServersController pages) {
        this.servers = servers;
        this.access = access;
        this.pages = pages;
    }

    /** The request an action answers, and where it goes back to. */
    private record Call(Actor actor, String id, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model,
                        RedirectAttributes flash) {
    }

    @PostMapping("/reprovision")
    Object reprovision(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                       HttpServletResponse response, Model model, RedirectAttributes flash) {
        Call call = new Call(actor, id, htmx, request, response, model, flash);
        return act(call, "settings", Map.of(), () -> {
            servers.reprovision(actor, id);
            return "Provisioning queued again.";
        });
    }

    @PostMapping("/reboot")
    Object reboot(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "settings", Map.of(), () -> {
            servers.reboot(actor, id);
            return "Reboot queued.";
        });
    }

    @PostMapping("/resize")
    Object resize(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String size,
                  HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "settings", entered("size", size), () -> {
            servers.resize(actor, id, size);
            return "Resize to " + size + " queued: the server restarts on the way.";
        });
    }

    @PostMapping("/rotate-key")
    Object rotateKey(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                     HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "settings", Map.of(), () -> {
            servers.rotatePanelKey(actor, id);
            return "Key rotation queued: the panel installs a new key, checks it, then removes the old one.";
        });
    }

    @PostMapping("/delete")
    Object delete(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String confirmName,
                  HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            servers.delete(actor, id, confirmName);
            flash.addFlashAttribute(Toast.ATTRIBUTE, "Deletion queued.");
            return ServerPages.redirect(htmx, ServersController.detail(id));
        } catch (InvalidInput e) {
            return refused(new Call(actor, id, htmx, request, response, model, flash), e, entered("confirmName", confirmName));
        }
    }

    @PostMapping("/services/refresh")
    Object refreshServices(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                           HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "services", Map.of(), () -> {
            servers.refreshServices(actor, id);
            return "Checking the services now.";
        });
    }

    @PostMapping("/services/restart")
    Object restartService(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                          @RequestParam(required = false) @Nullable String service, HtmxRequest htmx, HttpServletRequest request,
                          HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "services", entered("service", service), () -> {
            servers.restartService(actor, id, service);
            return "Restart of " + service + " queued.";
        });
    }

    @PostMapping("/php")
    Object php(@AuthenticationPrincipal Actor actor, @PathVariable String id,
               @RequestParam(name = "phpVersions", required = false) @Nullable List<String> versions,
               @RequestParam(required = false) @Nullable String phpDefaultVersion, HtmxRequest htmx, HttpServletRequest request,
               HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "php", entered("phpDefaultVersion", phpDefaultVersion), () -> {
            servers.changePhp(actor, id, versions, phpDefaultVersion);
            return "PHP change queued.";
        });
    }

    @PostMapping("/ssh-keys")
    Object addKey(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String name,
                  @RequestParam(required = false) @Nullable String publicKey, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        Map<String, String> typed = entered("name", name);
        typed.putAll(entered("publicKey", publicKey));
        return act(new Call(actor, id, htmx, request, response, model, flash), "ssh-keys", typed,
                () -> "Installing " + access.addKey(actor, id, name, publicKey).name() + ".");
    }

    @PostMapping("/ssh-keys/{keyId}/delete")
    Object removeKey(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String keyId, HtmxRequest htmx,
                     HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "ssh-keys", Map.of(), () -> {
            access.removeKey(actor, id, keyId);
            return "Removing the key.";
        });
    }

    @PostMapping("/firewall")
    Object addRule(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String port,
                   @RequestParam(required = false) @Nullable String protocol, @RequestParam(required = false) @Nullable String source,
                   @RequestParam(required = false) @Nullable String comment, HtmxRequest htmx, HttpServletRequest request,
                   HttpServletResponse response, Model model, RedirectAttributes flash) {
        Map<String, String> typed = entered("port", port);
        typed.putAll(entered("protocol", protocol));
        typed.putAll(entered("source", source));
        typed.putAll(entered("comment", comment));
        return act(new Call(actor, id, htmx, request, response, model, flash), "firewall", typed, () -> {
            var rule = access.addRule(actor, id, port, protocol, source, comment);
            return "Opening " + rule.port() + "/" + rule.protocol() + " from " + rule.source() + ".";
        });
    }

    @PostMapping("/firewall/{ruleId}/delete")
    Object removeRule(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String ruleId, HtmxRequest htmx,
                      HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return act(new Call(actor, id, htmx, request, response, model, flash), "firewall", Map.of(), () -> {
            access.removeRule(actor, id, ruleId);
            return "Closing the rule.";
        });
    }

    /** Shows the database root password once, in this answer only; every showing is audited. */
    @PostMapping("/database-password")
    String databasePassword(@AuthenticationPrincipal Actor actor, @PathVariable String id, HttpServletRequest request, Model model) {
        String password = servers.revealDatabasePassword(actor, id);
        var server = servers.get(actor, id);
        model.addAttribute("view", pages.detailView(actor, request, server, new DetailView.Extras(
                password == null ? Map.of("databasePassword", "This server has no database server, so there is no password.") : Map.of(),
                Map.of(), password, null)));
        return "pages/servers/detail";
    }

    /** Runs the action; on success back to the server's section with a toast, on a refusal the page with 422. */
    private Object act(Call call, String section, Map<String, String> typed, Supplier<String> action) {
        try {
            call.flash().addFlashAttribute(Toast.ATTRIBUTE, action.get());
            return ServerPages.redirect(call.htmx(), ServersController.detail(call.id()) + "#" + section);
        } catch (InvalidInput e) {
            return refused(call, e, typed);
        }
    }

    private Object refused(Call call, InvalidInput e, Map<String, String> typed) {
        var server = servers.get(call.actor(), call.id());
        call.response().setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        call.model().addAttribute("view", pages.detailView(call.actor(), call.request(), server,
                new DetailView.Extras(e.fieldErrors(), typed, null, null)));
        return "pages/servers/detail";
    }

    private static Map<String, String> entered(String field, @Nullable String value) {
        Map<String, String> typed = new LinkedHashMap<>();
        typed.put(field, value == null ? "" : value);
        return typed;
    }
}
