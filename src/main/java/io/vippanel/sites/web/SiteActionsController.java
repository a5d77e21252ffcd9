package io.vippanel.sites.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.Deployments;
import io.vippanel.sites.Site;
import io.vippanel.sites.Sites;
import io.vippanel.sites.WafMode;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What people do with a site itself: deploy, roll back, suspend, change its settings and WAF, delete it. */
@Controller
@RequestMapping(SitesController.LIST + "/{id}")
class SiteActionsController {

    private final Sites sites;
    private final Deployments deployments;
    private final SiteAnswers answers;

    SiteActionsController(Sites sites, Deployments deployments, SiteAnswers answers) {
        this.sites = sites;
        this.deployments = deployments;
        this.answers = answers;
    }

    @PostMapping("/deploy")
    Object deploy(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.DEPLOYMENTS, () -> {
            Deployment started = deployments.deploy(actor, id);
            return new SiteAnswers.Done("Deployment queued.", SitesController.deployment(id, started.id()));
        });
    }

    /** Deploys an uploaded archive of a static site's files, as the API's {@code deployments/archive} does. */
    @PostMapping(path = "/deploy-archive", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Object deployArchive(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                         @RequestParam(value = "archive", required = false) @Nullable MultipartFile archive, HtmxRequest htmx,
                         HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.DEPLOYMENTS, () -> {
            if (archive == null || archive.isEmpty()) {
                throw new InvalidInput("archive", "Choose a .tar.gz, .tgz or .zip file of the site's files.");
            }
            String name = archive.getOriginalFilename() == null ? "" : archive.getOriginalFilename();
            try (InputStream content = archive.getInputStream()) {
                Deployment started = deployments.deployArchive(actor, id, name, content);
                return new SiteAnswers.Done("Deployment of the uploaded archive queued.", SitesController.deployment(id, started.id()));
            } catch (IOException e) {
                throw new InvalidInput("archive", "The upload did not arrive whole; try again.");
            }
        });
    }

    @PostMapping("/deployments/{deployment}/rollback")
    Object rollback(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String deployment, HtmxRequest htmx,
                    HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.DEPLOYMENTS, () -> {
            Deployment started = deployments.rollback(actor, id, deployment);
            return new SiteAnswers.Done("Rollback queued.", SitesController.deployment(id, started.id()));
        });
    }

    @PostMapping("/suspend")
    Object suspend(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                   HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.OVERVIEW, () -> {
            sites.suspend(actor, id);
            return new SiteAnswers.Done("Suspension queued: visitors will see a suspended page.", SitesController.detail(id));
        });
    }

    @PostMapping("/unsuspend")
    Object unsuspend(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                     HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.OVERVIEW, () -> {
            sites.unsuspend(actor, id);
            return new SiteAnswers.Done("The site is being served again in a moment.", SitesController.detail(id));
        });
    }

    /** Shows the webhook secret once (audited by the facade). */
    @PostMapping("/webhook-secret")
    Object webhookSecret(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.reveal(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.OVERVIEW, "webhook",
                () -> sites.revealWebhookSecret(actor, id));
    }

    @PostMapping("/settings")
    Object settings(@AuthenticationPrincipal Actor actor, @PathVariable String id, @ModelAttribute SettingsForm form, HtmxRequest htmx,
                    HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.SETTINGS, () -> {
            sites.update(actor, id, form.toSettings());
            return new SiteAnswers.Done("Settings saved: the server applies them in a moment.", SitesController.tab(id, SiteTab.SETTINGS));
        });
    }

    @PostMapping("/waf")
    Object waf(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String mode,
               HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.WAF, () -> {
            WafMode chosen = wafMode(mode);
            sites.setWaf(actor, id, chosen);
            return new SiteAnswers.Done("WAF set to " + chosen.key() + ": the server applies it in a moment.", SitesController.tab(id, SiteTab.WAF));
        });
    }

    @PostMapping("/delete")
    Object delete(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String confirm,
                  @RequestParam(defaultValue = "false") boolean removeDnsRecords, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(new SiteAnswers.Call(actor, id, htmx, request, response, model, flash), SiteTab.SETTINGS, () -> {
            Site site = sites.get(actor, id);
            sites.delete(actor, id, confirm == null ? "" : confirm, removeDnsRecords);
            return new SiteAnswers.Done(site.domain() + " is being deleted.", SitesController.LIST);
        });
    }

    private static WafMode wafMode(@Nullable String mode) {
        for (WafMode candidate : WafMode.values()) {
            if (candidate.key().equals(mode)) {
                return candidate;
            }
        }
        throw new InvalidInput("mode", "Choose off, detect or block.");
    }
}
