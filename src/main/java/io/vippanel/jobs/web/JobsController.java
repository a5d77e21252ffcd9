package io.vippanel.jobs.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRedirectView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxResponse;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxReswap;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobFilter;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.jobs.internal.WorkerCheckJob;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The jobs pages: the filtered list, one job with its live log, the dashboard widget, and the actions cancel,
 * re-run and check workers. An HTMX request that is not a boosted navigation gets the page's swappable fragment.
 */
@Controller
public class JobsController {

    public static final String LIST = "/jobs";
    public static final String WIDGET = LIST + "/widget";
    public static final String WORKER_CHECK = LIST + "/worker-check";
    /** Status changes of every job the user may see (see {@link JobEventsController}). */
    public static final String EVENTS = "/events/jobs";
    public static final String RESULTS_ID = "job-results";
    public static final String FACTS_ID = "job-facts";
    public static final String LOG_ID = "job-log";
    public static final String TOASTS_ID = "toasts";
    /** Raised on the page after an action changed a job without changing its status (a cancel request). */
    public static final String CHANGED_EVENT = "job-changed";
    static final int PAGE_SIZE = 50;
    static final int WIDGET_SIZE = 5;
    private static final int MAX_PAGE = 100_000;

    public static String detail(String jobId) {
        return LIST + "/" + jobId;
    }

    public static String cancel(String jobId) {
        return detail(jobId) + "/cancel";
    }

    public static String rerun(String jobId) {
        return detail(jobId) + "/rerun";
    }

    /** One job's stream, resuming after the last log line the page already shows. */
    public static String events(String jobId, long afterSeq) {
        return EVENTS + "/" + jobId + "?after=" + afterSeq;
    }

    /** The list page; {@code errors} holds the filter fields that need attention (and then there are no results). */
    public record ListView(JobFilterForm filter, Map<String, String> errors, List<String> types, List<Job> jobs, long total,
                           int page, boolean canCheckWorkers, Csrf csrf) {

        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }

        public long firstShown() {
            return jobs.isEmpty() ? 0 : (long) page * PAGE_SIZE + 1;
        }

        public long lastShown() {
            return (long) page * PAGE_SIZE + jobs.size();
        }

        /** This page's address with the same filters, to refresh the results in place. */
        public String self() {
            return LIST + "?" + filter.query() + "&page=" + page;
        }
    }

    /** The detail page: the job, the log lines stored so far, and what the user may do with it. */
    public record DetailView(Job job, List<JobLogLine> log, boolean canManage, boolean showWorker, Csrf csrf) {

        /** The seq of the last line shown; the live stream continues after it. */
        public long lastSeq() {
            return log.isEmpty() ? 0 : log.getLast().seq();
        }

        public boolean logTruncated() {
            return log.size() == Jobs.LOG_PAGE;
        }
    }

    /** The dashboard widget: the newest running jobs and jobs that failed in the last day, with their totals. */
    public record WidgetView(List<Job> running, long runningTotal, List<Job> failed, long failedTotal, Instant now) {
    }

    private final Jobs jobs;
    private final Clock clock;

    JobsController(Jobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response,
                Model model, @RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "") String type,
                @RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "") String from,
                @RequestParam(defaultValue = "") String to, @RequestParam(defaultValue = "0") int page) {
        JobFilterForm form = new JobFilterForm(status, type, target, from, to);
        int safePage = Math.clamp(page, 0, MAX_PAGE);
        boolean canCheckWorkers = canCheckWorkers(actor);
        ListView view;
        try {
            JobFilter filter = form.toFilter();
            view = new ListView(form, Map.of(), jobs.types(actor), jobs.list(actor, filter, PAGE_SIZE, safePage * PAGE_SIZE),
                    jobs.count(actor, filter), safePage, canCheckWorkers, Csrf.of(request));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            view = new ListView(form, e.fieldErrors(), jobs.types(actor), List.of(), 0, 0, canCheckWorkers, Csrf.of(request));
        }
        model.addAttribute("view", view);
        return wantsFragment(htmx) ? "pages/jobs/results" : "pages/jobs/list";
    }

    @GetMapping(LIST + "/{id}")
    String detail(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                  Model model) {
        Job job = jobs.get(actor, id);
        List<JobLogLine> log = wantsFragment(htmx) ? List.of() : jobs.log(actor, id, 0);
        model.addAttribute("view", new DetailView(job, log, AccessPolicy.allowsOn(actor, Permission.JOB_MANAGE, job.tenantPath()),
                AccessPolicy.allows(actor, Permission.SYSTEM_CHECK), Csrf.of(request)));
        return wantsFragment(htmx) ? "pages/jobs/facts" : "pages/jobs/detail";
    }

    /**
     * Cancels or asks the worker to stop. HTMX gets a toast and the page stays (its stream shows the outcome);
     * without JavaScript the browser goes back to the job with the toast.
     */
    @PostMapping(LIST + "/{id}/cancel")
    Object cancel(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HtmxResponse hx,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            Job job = jobs.cancel(actor, id);
            String message = job.status() == JobStatus.CANCELLED ? "Job cancelled." : "Cancel requested: the worker is stopping the job.";
            if (htmx.isHtmxRequest()) {
                hx.addTrigger(CHANGED_EVENT);
                return toast(hx, model, message, Toast.Tone.SUCCESS);
            }
            flash.addFlashAttribute(Toast.ATTRIBUTE, message);
            return "redirect:" + detail(id);
        } catch (InvalidInput | NotFound e) {
            return refused(e, id, htmx, hx, response, model, flash);
        }
    }

    @PostMapping(LIST + "/{id}/rerun")
    Object rerun(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HtmxResponse hx,
                 HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            Job created = jobs.rerun(actor, id);
            flash.addFlashAttribute(Toast.ATTRIBUTE, "Re-run queued.");
            return redirect(htmx, detail(created.id()));
        } catch (InvalidInput | NotFound e) {
            return refused(e, id, htmx, hx, response, model, flash);
        }
    }

    /**
     * Queues a worker check in the platform tenant. Staff working inside another tenant are asked to switch back
     * first: the check belongs to the platform, and the job would not be visible where they work.
     */
    @PostMapping(WORKER_CHECK)
    Object checkWorkers(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, HtmxResponse hx, HttpServletResponse response,
                        Model model, RedirectAttributes flash) {
        AccessPolicy.require(actor, Permission.SYSTEM_CHECK);
        if (!canCheckWorkers(actor)) {
            String message = "Switch back to your own tenant to check the workers: the check runs in the platform tenant.";
            if (htmx.isHtmxRequest()) {
                response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
                return toast(hx, model, message, Toast.Tone.ERROR);
            }
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, message);
            return "redirect:" + LIST;
        }
        Job job = jobs.enqueue(new NewJob(actor.tenantId(), WorkerCheckJob.NAME, "Check workers", null, null, Map.of(), actor));
        flash.addFlashAttribute(Toast.ATTRIBUTE, "Worker check queued.");
        return redirect(htmx, detail(job.id()));
    }

    @GetMapping(WIDGET)
    String widget(@AuthenticationPrincipal Actor actor, Model model) {
        Instant now = clock.instant();
        JobFilter running = new JobFilter(JobStatus.RUNNING, null, null, null, null);
        JobFilter failed = new JobFilter(JobStatus.FAILED, null, null, now.minus(Duration.ofDays(1)), null);
        model.addAttribute("view", new WidgetView(jobs.list(actor, running, WIDGET_SIZE, 0), jobs.count(actor, running),
                jobs.list(actor, failed, WIDGET_SIZE, 0), jobs.count(actor, failed), now));
        return "pages/jobs/widget";
    }

    /**
     * An action the job's state or visibility refuses: HTMX shows the reason as a toast where the user is (a 404
     * for a job that is gone or foreign); without JavaScript the reason comes back with the job's page, or the
     * error page when there is no job to go back to.
     */
    private Object refused(RuntimeException e, String id, HtmxRequest htmx, HtmxResponse hx, HttpServletResponse response, Model model,
                           RedirectAttributes flash) {
        boolean missing = e instanceof NotFound;
        if (htmx.isHtmxRequest()) {
            response.setStatus((missing ? HttpStatus.NOT_FOUND : HttpStatus.UNPROCESSABLE_CONTENT).value());
            return toast(hx, model, missing ? "This job does not exist or is not yours to see." : sentence(e.getMessage()), Toast.Tone.ERROR);
        }
        if (missing) {
            throw (NotFound) e;
        }
        flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, sentence(e.getMessage()));
        return "redirect:" + detail(id);
    }

    private static String toast(HtmxResponse hx, Model model, String message, Toast.Tone tone) {
        hx.setRetarget("#" + TOASTS_ID);
        hx.setReswap(HtmxReswap.beforeEnd());
        model.addAttribute("message", message);
        model.addAttribute("tone", tone);
        return "components/toast";
    }

    /** Service refusals read as clauses ("the job has already ..."); a toast shows them as a sentence. */
    private static String sentence(String reason) {
        String text = reason.isEmpty() ? reason : Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }

    private static boolean canCheckWorkers(Actor actor) {
        return AccessPolicy.allows(actor, Permission.SYSTEM_CHECK) && actor.actingTenantId().equals(actor.tenantId());
    }

    /** Boosted navigation and history restores need the whole page; other HTMX requests swap a fragment. */
    private static boolean wantsFragment(HtmxRequest htmx) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() && !htmx.isHistoryRestoreRequest();
    }

    /** A boosted form follows a plain redirect (and keeps the flash toast); an hx-post needs HX-Redirect. */
    private static Object redirect(HtmxRequest htmx, String url) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() ? (View) new HtmxRedirectView(url) : "redirect:" + url;
    }
}
