package io.vippanel.sites.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.Jobs;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.servers.Server;
import io.vippanel.servers.Servers;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.Deployments;
import io.vippanel.sites.Site;
import io.vippanel.sites.SiteCreated;
import io.vippanel.sites.SiteCronJobs;
import io.vippanel.sites.SiteDatabases;
import io.vippanel.sites.SiteEnvironment;
import io.vippanel.sites.SiteWorkers;
import io.vippanel.sites.Sites;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The sites pages: the list with live status chips, the create wizard, and one site with its tabs. The actions on a
 * site are in {@link SiteActionsController} and {@link SiteServicesController}.
 */
@Controller
public class SitesController {

    public static final String LIST = "/sites";
    public static final String NEW = LIST + "/new";
    public static final String EVENTS = "/events/sites";
    public static final String STREAM_ID = "site-stream";
    public static final String RESULTS_ID = "site-results";
    public static final String CHOICES_ID = "site-wizard-choices";
    public static final String HEADER_ID = "site-header";
    public static final String TAB_ID = "site-tab";
    public static final String HISTORY_ID = "deployment-history";
    public static final String LOG_PANEL_ID = "deployment-log-panel";
    /** The model attribute of a new WordPress administrator, whose password the site's page shows once. */
    static final String WORDPRESS_ADMIN = "wordpressAdmin";
    public static final String LOG_ID = "job-log";
    public static final String OUTPUT_ID = "cron-output";
    static final int PAGE_SIZE = 25;
    static final int HISTORY_SIZE = 50;
    private static final int MAX_PAGE = 10_000;

    public static String detail(String siteId) {
        return LIST + "/" + siteId;
    }

    public static String tab(String siteId, SiteTab tab) {
        return detail(siteId) + "?tab=" + tab.key();
    }

    /** The deployments tab showing one deployment's log. */
    public static String deployment(String siteId, String deploymentId) {
        return tab(siteId, SiteTab.DEPLOYMENTS) + "&deployment=" + deploymentId;
    }

    public static String action(String siteId, String action) {
        return detail(siteId) + "/" + action;
    }

    /** One site's stream: its status changes only. */
    public static String events(String siteId) {
        return EVENTS + "?site=" + siteId;
    }

    /** One job's stream (the jobs module's), resuming after the last log line the page shows. */
    public static String jobEvents(String jobId, long afterSeq) {
        return "/events/jobs/" + jobId + "?after=" + afterSeq;
    }

    /** The list page and its swappable results. */
    public record ListView(List<Site> sites, long total, String search, String serverId, List<Server> servers, int page,
                           boolean canManage, boolean hasReadyServer) {

        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }

        public boolean filtered() {
            return !search.isEmpty() || !serverId.isEmpty();
        }

        public String pageUrl(int target) {
            return LIST + "?q=" + SitePages.query(search) + "&server=" + SitePages.query(serverId) + "&page=" + target;
        }
    }

    /** The wizard: the answers so far and the ready servers to choose from, with the chosen one's PHP versions. */
    public record WizardView(SiteForm form, Map<String, String> errors, List<Server> servers, @Nullable Server chosen, Csrf csrf) {

        public List<String> phpVersions() {
            return chosen == null ? List.of() : SitePages.phpVersions(chosen);
        }

        /** The version typed, or else the chosen server's default. */
        public String phpVersion() {
            String typed = form.text(form.phpVersion());
            if (!typed.isEmpty() && phpVersions().contains(typed)) {
                return typed;
            }
            return chosen == null ? "" : chosen.stack().phpDefaultVersion();
        }
    }

    private final Sites sites;
    private final Deployments deployments;
    private final SiteEnvironment environment;
    private final SiteDatabases databases;
    private final SiteCronJobs cronJobs;
    private final SiteWorkers workers;
    private final Servers servers;
    private final Jobs jobs;
    private final SiteStreams streams;

    SitesController(Sites sites, Deployments deployments, SiteEnvironment environment, SiteDatabases databases, SiteCronJobs cronJobs,
                    SiteWorkers workers, Servers servers, Jobs jobs, SiteStreams streams) {
        this.sites = sites;
        this.deployments = deployments;
        this.environment = environment;
        this.databases = databases;
        this.cronJobs = cronJobs;
        this.workers = workers;
        this.servers = servers;
        this.jobs = jobs;
        this.streams = streams;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, Model model, @RequestParam(defaultValue = "") String q,
                @RequestParam(defaultValue = "") String server, @RequestParam(defaultValue = "0") int page) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        String search = q.strip();
        if (search.length() > 100) {
            throw new InvalidInput("q", "Search with at most 100 characters.");
        }
        String serverId = server.strip();
        if (serverId.length() > 64) {
            throw new InvalidInput("server", "Choose one of the servers.");
        }
        int safePage = Math.clamp(page, 0, MAX_PAGE);
        @Nullable String filter = serverId.isEmpty() ? null : serverId;
        long total = sites.count(actor, filter, search);
        boolean canManage = AccessPolicy.allows(actor, Permission.SITE_MANAGE);
        List<Server> visible = AccessPolicy.allows(actor, Permission.SERVER_VIEW) ? servers.list(actor, "", Sites.MAX_PAGE, 0) : List.of();
        model.addAttribute("view", new ListView(sites.list(actor, filter, search, PAGE_SIZE, safePage * PAGE_SIZE), total, search, serverId,
                visible, safePage, canManage, canManage && !sites.readyServers(actor).isEmpty()));
        return SitePages.wantsFragment(htmx) ? "pages/sites/results" : "pages/sites/list";
    }

    /** Status changes of every site the user may see, or with {@code ?site=} of that one site. */
    @GetMapping(path = EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String site) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        if (site != null) {
            sites.get(actor, site);
        }
        return streams.open(actor.actingTenantPath(), site);
    }

    /** The wizard; an HTMX request (a change of server or type) gets only the part that depends on them. */
    @GetMapping(NEW)
    String wizard(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, HttpServletRequest request, Model model,
                  @ModelAttribute SiteForm form) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        boolean started = request.getParameterMap().containsKey("type");
        List<Server> ready = sites.readyServers(actor);
        SiteForm shown = started ? form.withPresets() : SiteForm.empty(ready.isEmpty() ? null : ready.getFirst().id());
        WizardView view = wizardView(request, shown, Map.of(), ready);
        model.addAttribute("view", view);
        return SitePages.wantsFragment(htmx) ? "pages/sites/choices" : "pages/sites/new";
    }

    /** Creates the site and its job; a refusal shows the wizard again with every answer and the reasons next to the fields. */
    @PostMapping(LIST)
    Object create(@AuthenticationPrincipal Actor actor, @ModelAttribute SiteForm form, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            SiteCreated created = sites.create(actor, form.toNewSite());
            if (created.wordpressAdmin() != null) {
                // A secret shown once: this answer is the site's page with it, never a redirect to one; the address the
                // browser keeps is the site's plain page.
                response.setHeader("HX-Push-Url", detail(created.site().id()));
                model.addAttribute("view", view(actor, request, created.site(), SiteTab.OVERVIEW, null, null, SiteView.Extras.NONE));
                model.addAttribute(WORDPRESS_ADMIN, created.wordpressAdmin());
                return "pages/sites/detail";
            }
            flash.addFlashAttribute(Toast.ATTRIBUTE, created.site().domain() + " is queued: the server sets it up in a moment.");
            return SitePages.redirect(htmx, detail(created.site().id()));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", wizardView(request, form, e.fieldErrors(), sites.readyServers(actor)));
            return "pages/sites/new";
        }
    }

    /**
     * The site's page. An HTMX request gets the part it asks for: {@code ?part=header}, {@code ?part=history} or
     * {@code ?part=log} of the deployments tab, {@code ?part=output} of the cron tab, or else the open tab.
     */
    @GetMapping(LIST + "/{id}")
    String detail(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request, Model model,
                  @RequestParam(required = false) @Nullable String tab, @RequestParam(required = false) @Nullable String part,
                  @RequestParam(required = false) @Nullable String deployment,
                  @RequestParam(required = false) @Nullable String outputJob) {
        Site site = sites.get(actor, id);
        SiteTab open = SiteTab.fromKey(tab);
        if (open == null) {
            throw new NotFound("tab", String.valueOf(tab));
        }
        model.addAttribute("view", view(actor, request, site, open, deployment, outputJob, SiteView.Extras.NONE));
        if (!SitePages.wantsFragment(htmx)) {
            return "pages/sites/detail";
        }
        return switch (part == null ? "" : part) {
            case "header" -> "pages/sites/header";
            case "history" -> "pages/sites/history";
            case "log" -> "pages/sites/log";
            case "output" -> "pages/sites/output";
            case "" -> "pages/sites/tab";
            default -> throw new NotFound("part", part);
        };
    }

    /** The page of a site with one tab open and what it shows, for the pages and for the actions' answers. */
    SiteView view(Actor actor, HttpServletRequest request, Site site, SiteTab tab, @Nullable String deploymentId,
                  @Nullable String outputJobId, SiteView.Extras extras) {
        boolean canManage = AccessPolicy.allows(actor, Permission.SITE_MANAGE);
        String webhook = ServletUriComponentsBuilder.fromContextPath(request).path(Sites.webhookPath(site.id())).build().toUriString();
        return new SiteView(site, tab, canManage, Csrf.of(request), webhook, phpVersions(actor, site),
                tabData(actor, site, tab, canManage, deploymentId, outputJobId), extras);
    }

    private SiteView.Tab tabData(Actor actor, Site site, SiteTab tab, boolean canManage, @Nullable String deploymentId,
                                 @Nullable String outputJobId) {
        SiteView.Tab none = SiteView.Tab.NONE;
        return switch (tab) {
            case OVERVIEW, WAF, SETTINGS -> none;
            case DEPLOYMENTS -> {
                List<Deployment> history = deployments.list(actor, site.id(), HISTORY_SIZE, 0);
                Deployment selected = deploymentId != null ? deployments.get(actor, site.id(), deploymentId)
                        : history.stream().filter(d -> !d.status().finished()).findFirst().orElse(history.isEmpty() ? null : history.getFirst());
                List<JobLogLine> log = selected == null || selected.jobId() == null ? List.of() : jobs.log(actor, selected.jobId(), 0);
                yield new SiteView.Tab(history, selected, log, null, List.of(), List.of(), List.of(), null, null);
            }
            case ENVIRONMENT -> {
                if (!canManage) {
                    yield new SiteView.Tab(List.of(), null, List.of(), null, List.of(), List.of(), List.of(), null,
                            "Your role may not read the environment: it holds the site's secrets.");
                }
                try {
                    yield new SiteView.Tab(List.of(), null, List.of(), environment.read(actor, site.id()), List.of(), List.of(), List.of(),
                            null, null);
                } catch (InvalidInput e) {
                    yield new SiteView.Tab(List.of(), null, List.of(), null, List.of(), List.of(), List.of(), null,
                            String.join(" ", e.fieldErrors().values()));
                }
            }
            case DATABASES -> new SiteView.Tab(List.of(), null, List.of(), null, databases.list(actor, site.id()), List.of(), List.of(),
                    null, null);
            case CRON -> new SiteView.Tab(List.of(), null, List.of(), null, List.of(), cronJobs.list(actor, site.id()), List.of(),
                    outputJobId == null ? null : outputJob(actor, outputJobId), null);
            case WORKERS -> new SiteView.Tab(List.of(), null, List.of(), null, List.of(), List.of(), workers.list(actor, site.id()), null,
                    null);
        };
    }

    private @Nullable Job outputJob(Actor actor, String jobId) {
        try {
            return jobs.get(actor, jobId);
        } catch (NotFound e) {
            return null;
        }
    }

    /** The PHP versions on the site's server, to choose from in the settings (none known when the server is out of reach). */
    private List<String> phpVersions(Actor actor, Site site) {
        if (!site.type().usesPhp()) {
            return List.of();
        }
        try {
            return SitePages.phpVersions(servers.get(actor, site.serverId()));
        } catch (NotFound e) {
            return site.phpVersion() == null ? List.of() : List.of(site.phpVersion());
        }
    }

    private WizardView wizardView(HttpServletRequest request, SiteForm form, Map<String, String> errors, List<Server> ready) {
        Server chosen = ready.stream().filter(server -> server.id().equals(form.serverId())).findFirst()
                .orElse(ready.isEmpty() ? null : ready.getFirst());
        return new WizardView(form, errors, ready, chosen, Csrf.of(request));
    }
}
