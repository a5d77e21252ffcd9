package io.vippanel.servers.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.servers.FirewallRule;
import io.vippanel.servers.ProviderAccount;
import io.vippanel.servers.ProviderAccounts;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerAccess;
import io.vippanel.servers.ServerSshKey;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.Servers;
import io.vippanel.servers.internal.provider.ProviderException;
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

/**
 * The servers pages: the list with live status chips, the create wizard, and one server with its sections. The
 * actions on a server are in {@link ServerActionsController}.
 */
@Controller
public class ServersController {

    public static final String LIST = "/servers";
    public static final String NEW = LIST + "/new";
    public static final String EVENTS = "/events/servers";
    public static final String RESULTS_ID = "server-results";
    public static final String OVERVIEW_ID = "server-overview";
    public static final String SECTIONS_ID = "server-sections";
    public static final String CATALOG_ID = "server-catalog";
    public static final String RESIZE_ID = "server-resize";
    static final int PAGE_SIZE = 25;
    private static final int MAX_PAGE = 10_000;

    public static String detail(String serverId) {
        return LIST + "/" + serverId;
    }

    /** The list page and its swappable results. */
    public record ListView(List<Server> servers, long total, String search, int page, boolean canManage) {

        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }

        public String pageUrl(int target) {
            return LIST + "?q=" + ServerDisplay.query(search) + "&page=" + target;
        }
    }

    /** The wizard: the answers so far, the accounts to choose from and the chosen account's catalog. */
    public record WizardView(ServerForm form, Map<String, String> errors, List<ProviderAccount> accounts, CatalogView catalog,
                             Csrf csrf) {
    }

    private final Servers servers;
    private final ServerAccess access;
    private final ProviderAccounts accounts;
    private final Jobs jobs;
    private final ServerStreams streams;

    ServersController(Servers servers, ServerAccess access, ProviderAccounts accounts, Jobs jobs, ServerStreams streams) {
        this.servers = servers;
        this.access = access;
        this.accounts = accounts;
        this.jobs = jobs;
        this.streams = streams;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, Model model, @RequestParam(defaultValue = "") String q,
                @RequestParam(defaultValue = "0") int page) {
        String search = q.strip();
        if (search.length() > 100) {
            throw new InvalidInput("q", "Search with at most 100 characters.");
        }
        int safePage = Math.clamp(page, 0, MAX_PAGE);
        long total = servers.count(actor, search);
        model.addAttribute("view", new ListView(servers.list(actor, search, PAGE_SIZE, safePage * PAGE_SIZE), total, search, safePage,
                AccessPolicy.allows(actor, Permission.SERVER_MANAGE)));
        return ServerPages.wantsFragment(htmx) ? "pages/servers/results" : "pages/servers/list";
    }

    /** Status changes of every server the user may see. */
    @GetMapping(path = EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events(@AuthenticationPrincipal Actor actor) {
        AccessPolicy.require(actor, Permission.SERVER_VIEW);
        return streams.open(actor.actingTenantPath());
    }

    /**
     * The wizard. {@code ?provider=…} renders the account's catalog server-side (the page's "Load regions and sizes"
     * button without JavaScript); an HTMX request gets only the catalog part.
     */
    @GetMapping(NEW)
    String wizard(@AuthenticationPrincipal Actor actor, HtmxRequest htmx, HttpServletRequest request, Model model,
                  @ModelAttribute ServerForm form) {
        AccessPolicy.require(actor, Permission.SERVER_MANAGE);
        boolean started = request.getParameterMap().containsKey("provider");
        ServerForm shown = started ? form.withoutSecrets() : ServerForm.EMPTY;
        WizardView view = wizardView(actor, request, shown, Map.of());
        model.addAttribute("view", view);
        if (ServerPages.wantsFragment(htmx)) {
            model.addAttribute("view", view.catalog());
            return "pages/servers/catalog";
        }
        return "pages/servers/new";
    }

    /**
     * Creates the server and its provisioning job. A refusal shows the wizard again with every answer but the
     * secrets; a provider that cannot confirm region and size answers 502/503 with the wizard and its message.
     */
    @PostMapping(LIST)
    Object create(@AuthenticationPrincipal Actor actor, @ModelAttribute ServerForm form, HtmxRequest htmx, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            Server created = servers.create(actor, form.toNewServer());
            flash.addFlashAttribute(Toast.ATTRIBUTE, created.name() + " is queued: provisioning starts in a moment.");
            return ServerPages.redirect(htmx, detail(created.id()));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", wizardView(actor, request, form.withoutSecrets(), e.fieldErrors()));
        } catch (ProviderException e) {
            response.setStatus((e.retryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY).value());
            model.addAttribute("view", wizardView(actor, request, form.withoutSecrets(), Map.of("region", e.userMessage())));
        }
        return "pages/servers/new";
    }

    /** The server's page; an HTMX request gets its overview, or with {@code ?sections} what people change, or with {@code ?sizes} the resize choices. */
    @GetMapping(LIST + "/{id}")
    String detail(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, HttpServletRequest request,
                  Model model, @RequestParam(required = false) @Nullable String sizes,
                  @RequestParam(required = false) @Nullable String sections) {
        Server server = servers.get(actor, id);
        boolean fragment = ServerPages.wantsFragment(htmx);
        if (fragment && sizes != null) {
            model.addAttribute("view", resizeChoices(actor, server));
            model.addAttribute("server", server);
            model.addAttribute("csrf", Csrf.of(request));
            return "pages/servers/resize";
        }
        DetailView view = detailView(actor, request, server, DetailView.Extras.NONE.withResize(sizes == null ? null : resizeChoices(actor, server)));
        model.addAttribute("view", view);
        if (!fragment) {
            return "pages/servers/detail";
        }
        return sections == null ? "pages/servers/overview" : "pages/servers/sections";
    }

    DetailView detailView(Actor actor, HttpServletRequest request, Server server, DetailView.Extras extras) {
        List<FirewallRule> rules = access.rules(actor, server.id());
        List<ServerSshKey> keys = access.keys(actor, server.id());
        return new DetailView(server, rules, keys, lastJob(actor, server), AccessPolicy.allows(actor, Permission.SERVER_MANAGE),
                Csrf.of(request), extras);
    }

    /** The sizes a server can move to, from its account's catalog (N/A when the provider fails). */
    @Nullable CatalogView resizeChoices(Actor actor, Server server) {
        if (!server.providerKind().isCloud() || server.providerAccountId() == null) {
            return null;
        }
        return ProvidersController.catalogView(accounts, actor, server.providerAccountId(), String.valueOf(server.region()),
                String.valueOf(server.size()), server.image().name(), Map.of());
    }

    private @Nullable Job lastJob(Actor actor, Server server) {
        if (server.lastJobId() == null) {
            return null;
        }
        try {
            return jobs.get(actor, server.lastJobId());
        } catch (NotFound e) {
            return null;
        }
    }

    private WizardView wizardView(Actor actor, HttpServletRequest request, ServerForm form, Map<String, String> errors) {
        List<ProviderAccount> usable = accounts.list(actor);
        String image = form.text(form.image());
        CatalogView catalog = CatalogView.withoutAccount(image, errors);
        if (form.cloud()) {
            String chosen = form.text(form.provider());
            if (usable.stream().anyMatch(account -> account.id().equals(chosen))) {
                catalog = errors.containsKey("provider") ? catalog
                        : ProvidersController.catalogView(accounts, actor, chosen, form.text(form.region()), form.text(form.size()), image, errors);
            }
        }
        return new WizardView(form, errors, usable, catalog, Csrf.of(request));
    }

    static boolean idle(Server server) {
        return !server.status().busy();
    }

    static boolean ready(Server server) {
        return server.status() == ServerStatus.READY;
    }
}
