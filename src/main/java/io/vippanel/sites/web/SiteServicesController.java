package io.vippanel.sites.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.DatabaseCreated;
import io.vippanel.sites.EnvApply;
import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteCronJobs;
import io.vippanel.sites.SiteDatabases;
import io.vippanel.sites.SiteEnvironment;
import io.vippanel.sites.SiteWorker;
import io.vippanel.sites.SiteWorkers;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What runs with a site: its environment, databases, cron jobs and workers. */
@Controller
@RequestMapping(SitesController.LIST + "/{id}")
class SiteServicesController {

    private final SiteEnvironment environment;
    private final SiteDatabases databases;
    private final SiteCronJobs cronJobs;
    private final SiteWorkers workers;
    private final SiteAnswers answers;

    SiteServicesController(SiteEnvironment environment, SiteDatabases databases, SiteCronJobs cronJobs, SiteWorkers workers,
                           SiteAnswers answers) {
        this.environment = environment;
        this.databases = databases;
        this.cronJobs = cronJobs;
        this.workers = workers;
        this.answers = answers;
    }

    @PostMapping("/environment")
    Object environment(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String dotenv,
                       @RequestParam(required = false) @Nullable String apply, HtmxRequest htmx, HttpServletRequest request,
                       HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.ENVIRONMENT, () -> {
            EnvApply how = envApply(apply);
            environment.write(actor, id, dotenv == null ? "" : dotenv, how);
            return switch (how) {
                case WRITE -> new SiteAnswers.Done("Environment saved: it applies at the next reload or deployment.",
                        SitesController.tab(id, SiteTab.ENVIRONMENT));
                case RELOAD -> new SiteAnswers.Done("Environment saved: the site reloads with it in a moment.",
                        SitesController.tab(id, SiteTab.ENVIRONMENT));
                case DEPLOY -> new SiteAnswers.Done("Environment saved: a deployment with it is queued.", SitesController.tab(id, SiteTab.DEPLOYMENTS));
            };
        });
    }

    /** Creates a database and shows its password once. */
    @PostMapping("/databases")
    Object createDatabase(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String name,
                          @RequestParam(required = false) @Nullable String username, HtmxRequest htmx, HttpServletRequest request,
                          HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.revealCreated(call(actor, id, htmx, request, response, model, flash), SiteTab.DATABASES, () -> {
            DatabaseCreated created = databases.create(actor, id, text(name), text(username));
            return new SiteView.Extras(Map.of(), Map.of(), created.password(), created.database().id());
        });
    }

    @PostMapping("/databases/{database}/password")
    Object changePassword(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String database, HtmxRequest htmx,
                          HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.reveal(call(actor, id, htmx, request, response, model, flash), SiteTab.DATABASES, database,
                () -> databases.changePassword(actor, id, database).password());
    }

    @PostMapping("/databases/{database}/reveal")
    Object revealPassword(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String database, HtmxRequest htmx,
                          HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.reveal(call(actor, id, htmx, request, response, model, flash), SiteTab.DATABASES, database,
                () -> databases.revealPassword(actor, id, database));
    }

    @PostMapping("/databases/{database}/delete")
    Object deleteDatabase(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String database, HtmxRequest htmx,
                          HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.DATABASES, () -> {
            databases.delete(actor, id, database);
            return new SiteAnswers.Done("The database is being dropped.", SitesController.tab(id, SiteTab.DATABASES));
        });
    }

    @PostMapping("/cron")
    Object createCronJob(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                         @RequestParam(required = false) @Nullable String expression, @RequestParam(required = false) @Nullable String command,
                         @RequestParam(required = false) @Nullable String description, HtmxRequest htmx, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.CRON, () -> {
            SiteCronJob created = cronJobs.create(actor, id, text(expression), text(command), text(description));
            return new SiteAnswers.Done("Cron job " + created.expression() + " added: the server installs it in a moment.",
                    SitesController.tab(id, SiteTab.CRON));
        });
    }

    @PostMapping("/cron/{cronJob}/delete")
    Object deleteCronJob(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String cronJob, HtmxRequest htmx,
                         HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.CRON, () -> {
            cronJobs.delete(actor, id, cronJob);
            return new SiteAnswers.Done("The cron job is being removed.", SitesController.tab(id, SiteTab.CRON));
        });
    }

    /** Fetches the cron job's last output from the server; the tab follows the job and shows the output when it is in. */
    @PostMapping("/cron/{cronJob}/output")
    Object cronOutput(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String cronJob, HtmxRequest htmx,
                      HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.CRON, () -> {
            String jobId = cronJobs.fetchOutput(actor, id, cronJob);
            return new SiteAnswers.Done("Reading the last output from the server.",
                    SitesController.tab(id, SiteTab.CRON) + "&outputJob=" + jobId + "#" + SitesController.OUTPUT_ID);
        });
    }

    @PostMapping("/workers")
    Object createWorker(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String name,
                        @RequestParam(required = false) @Nullable String command, @RequestParam(required = false) @Nullable String processes,
                        HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.WORKERS, () -> {
            Integer count = SiteForm.number("processes", processes);
            SiteWorker created = workers.create(actor, id, text(name), text(command), count == null ? 1 : count);
            return new SiteAnswers.Done("Worker " + created.name() + " added: the server starts it in a moment.",
                    SitesController.tab(id, SiteTab.WORKERS));
        });
    }

    @PostMapping("/workers/{worker}/restart")
    Object restartWorker(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String worker, HtmxRequest htmx,
                         HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.WORKERS, () -> {
            workers.restart(actor, id, worker);
            return new SiteAnswers.Done("Restart queued.", SitesController.tab(id, SiteTab.WORKERS));
        });
    }

    @PostMapping("/workers/{worker}/delete")
    Object deleteWorker(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String worker, HtmxRequest htmx,
                        HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return answers.act(call(actor, id, htmx, request, response, model, flash), SiteTab.WORKERS, () -> {
            workers.delete(actor, id, worker);
            return new SiteAnswers.Done("The worker is being stopped and removed.", SitesController.tab(id, SiteTab.WORKERS));
        });
    }

    private static SiteAnswers.Call call(Actor actor, String id, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response,
                                         Model model, RedirectAttributes flash) {
        return new SiteAnswers.Call(actor, id, htmx, request, response, model, flash);
    }

    private static EnvApply envApply(@Nullable String apply) {
        for (EnvApply candidate : EnvApply.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(apply)) {
                return candidate;
            }
        }
        throw new InvalidInput("apply", "Choose write, reload or deploy.");
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }
}
