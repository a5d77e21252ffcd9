package io.vippanel.sites;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.Servers;
import io.vippanel.sites.internal.DeployKeys;
import io.vippanel.sites.internal.SiteEvents;
import io.vippanel.sites.internal.SiteInput;
import io.vippanel.sites.internal.SiteJobTypes;
import io.vippanel.sites.internal.SitePresets;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.CommandLine;
import io.vippanel.sites.internal.SiteRepository;
import io.vippanel.sites.internal.SiteServiceRepository;
import io.vippanel.sites.internal.SiteSecrets;
import io.vippanel.sites.internal.WordPressInstalls;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sites: create (row and creation job in one transaction), look at, change, suspend and delete them. Everything that
 * touches the server is a job; the methods here validate, record the intent, enqueue, and audit.
 */
@Service
public class Sites {

    public static final int MAX_PAGE = 200;
    private static final String USER_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SiteRepository repository;
    private final SiteServiceRepository services;
    private final SiteSecrets secrets;
    private final WordPressInstalls wordpressInstalls;
    private final SiteEvents siteEvents;
    private final Servers servers;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;
    private final VipProperties.Sites settings;
    private final Clock clock;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public Sites(SiteRepository repository, SiteServiceRepository services, SiteSecrets secrets, WordPressInstalls wordpressInstalls,
                 SiteEvents siteEvents, Servers servers, Jobs jobs, ApplicationEventPublisher events, VipProperties properties,
                 Clock clock) {
        this.repository = repository;
        this.services = services;
        this.secrets = secrets;
        this.wordpressInstalls = wordpressInstalls;
        this.siteEvents = siteEvents;
        this.servers = servers;
        this.jobs = jobs;
        this.events = events;
        this.settings = properties.sites();
        this.clock = clock;
    }

    /** The address a repository host posts push notifications to (after the panel's base URL). */
    public static String webhookPath(String siteId) {
        return "/hooks/sites/" + siteId;
    }

    @Transactional(readOnly = true)
    public List<Site> list(Actor actor, @Nullable String serverId, @Nullable String search, int limit, int offset) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        Validation.requirePage(limit, offset, MAX_PAGE);
        return repository.list(actor.actingTenantPath(), blankToNull(serverId), blankToNull(search), limit, offset).stream()
                .map(SiteRecord::view).toList();
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, @Nullable String serverId, @Nullable String search) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        return repository.count(actor.actingTenantPath(), blankToNull(serverId), blankToNull(search));
    }

    @Transactional(readOnly = true)
    public Site get(Actor actor, String siteId) {
        AccessPolicy.require(actor, Permission.SITE_VIEW);
        return visible(actor, siteId).view();
    }

    /** Servers the actor may create sites on: ready, and of the tenant the actor is acting in. */
    @Transactional(readOnly = true)
    public List<Server> readyServers(Actor actor) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        return servers.list(actor, null, Servers.MAX_PAGE, 0).stream()
                .filter(server -> server.status() == ServerStatus.READY && server.tenantId().equals(actor.actingTenantId()))
                .toList();
    }

    /**
     * Validates the wizard's answers and writes the site {@code queued} with its creation job in this transaction. A
     * site belongs to its server's tenant, so the actor must be acting in that tenant. A WordPress site without a
     * repository is one the panel installs: it gets its database and an administrator whose password is returned here
     * once.
     *
     * @throws InvalidInput with a message per field
     */
    @Transactional
    public SiteCreated create(Actor actor, NewSite form) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        Validation validation = new Validation();
        Server server = server(validation, actor, form.serverId());
        SiteType type = SiteInput.type(validation, "type", form.type());
        String domain = SiteInput.hostName(validation, "domain", form.domain());
        List<String> aliases = SiteInput.aliases(validation, "aliases", form.aliases(), domain);
        requireFreeHostNames(validation, domain, aliases, null);
        SitePresets.Preset preset = SitePresets.of(type == null ? SiteType.STATIC : type);
        String webRoot = form.webRoot() == null ? preset.webRoot() : SiteInput.webRoot(validation, "webRoot", form.webRoot());
        String phpVersion = null;
        if (server != null && type != null && type.usesPhp()) {
            phpVersion = SiteInput.phpVersion(validation, "phpVersion", form.phpVersion(), phpVersions(server),
                    server.stack().phpDefaultVersion());
        }
        if (server != null && type == SiteType.NODEJS && !server.stack().nodejs()) {
            validation.reject("type", "The server has no Node.js; choose a server with Node.js for a Node.js site.");
        }
        String repositoryUrl = blankToNull(form.repositoryUrl());
        String branch = null;
        if (repositoryUrl != null) {
            repositoryUrl = SiteInput.repositoryUrl(validation, "repositoryUrl", repositoryUrl, settings.allowLocalRepositories());
            branch = SiteInput.branch(validation, "branch", form.branch() == null || form.branch().isBlank() ? "main" : form.branch());
        } else if (form.branch() != null && !form.branch().isBlank()) {
            SiteInput.branch(validation, "branch", form.branch());
        }
        WordPressInstalls.Setup wordpress = null;
        boolean installWordPress = type == SiteType.WORDPRESS && repositoryUrl == null;
        if (installWordPress && server != null) {
            wordpress = WordPressInstalls.setup(validation, form.wordpress(), Objects.requireNonNullElse(domain, ""),
                    server.stack().database());
        }
        String deployScript = form.deployScript() == null || form.deployScript().isBlank() ? preset.deployScript()
                : SiteInput.deployScript(validation, "deployScript", form.deployScript());
        List<String> sharedPaths = form.sharedPaths() != null ? SiteInput.sharedPaths(validation, "sharedPaths", form.sharedPaths())
                : installWordPress ? SitePresets.WORDPRESS_INSTALL_SHARED_PATHS : preset.sharedPaths();
        int keepReleases = SiteInput.keepReleases(validation, "keepReleases", form.keepReleases());
        validation.throwIfInvalid();
        Objects.requireNonNull(server);
        Objects.requireNonNull(type);
        repository.limitReachedAt(server.tenantId()).ifPresent(full -> {
            throw new InvalidInput("domain", "The site limit of tenant \"" + full + "\" is reached.");
        });

        String id = Ids.newId("site");
        String systemUser = systemUser(server.id(), domain);
        Integer appPort = type == SiteType.NODEJS ? repository.freeAppPort(server.id(), settings.appPortFirst()) : null;
        DeployKeys.KeyPair deployKey = DeployKeys.generate("vip-deploy@" + domain);
        String webhookSecret = Ids.randomToken(40);
        DeploySource source = repositoryUrl != null ? DeploySource.GIT : installWordPress ? DeploySource.WORDPRESS : DeploySource.NONE;
        try {
            repository.insert(new SiteRepository.NewRow(id, server.tenantId(), server.id(), type, domain, aliases,
                    form.redirectAliases(), webRoot, phpVersion, appPort, systemUser, source, repositoryUrl, branch,
                    secrets.seal(SiteSecrets.DEPLOY_KEY, id, deployKey.privateKeyPem()), deployKey.publicKeyLine(), deployScript,
                    sharedPaths, keepReleases, secrets.seal(SiteSecrets.WEBHOOK_SECRET, id, webhookSecret), actor.userId()),
                    clock.instant());
        } catch (DuplicateKeyException e) {
            // Another request claimed one of the names (or the user or port) between the check and the insert.
            throw new InvalidInput(hostNameClash(e) ? "domain" : "type", hostNameClash(e)
                    ? "One of these host names was just taken by another site." : "Another site was created on this server at the same moment; try again.");
        }
        presetProcesses(actor, server.tenantId(), id, type);
        WordPressAdmin wordpressAdmin = wordpress == null ? null : wordpressInstalls.prepare(server.tenantId(), id, server.id(),
                systemUser, domain, wordpress, actor.userId(), clock.instant());
        SiteRecord created = visible(actor, id);
        events.publishEvent(new SiteHostsAdded(server.tenantId(), created.tenantPath(), id, domain, aliases, server.ipv4(),
                server.ipv6(), actor));
        Job job = enqueue(actor, created, SiteJobTypes.CREATE, "Create site " + domain, Map.of());
        siteEvents.changed(created.tenantPath(), id, SiteStatus.QUEUED.key(), null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domain", domain);
        details.put("aliases", aliases);
        details.put("type", type.key());
        details.put("server", server.id());
        if (repositoryUrl != null) {
            details.put("repository", repositoryUrl);
            details.put("branch", Objects.requireNonNull(branch));
        }
        if (wordpressAdmin != null) {
            details.put("wordpressAdmin", wordpressAdmin.user());
        }
        details.put("job", job.id());
        audit(actor, created, "site.create", details);
        return new SiteCreated(visible(actor, id).view(), job.id(), wordpressAdmin);
    }

    /**
     * The type's preset cron jobs and workers (Laravel's scheduler and queue worker), recorded pending: the first
     * deployment writes them to the server, once there is code for them to run.
     */
    private void presetProcesses(Actor actor, String tenantId, String siteId, SiteType type) {
        for (SiteCronJobs.Preset preset : SiteCronJobs.presets(type)) {
            services.insertCronJob(new SiteCronJob(Ids.newId("cron"), siteId, preset.expression(), preset.command(),
                    preset.description(), "pending", clock.instant()), tenantId, actor.userId());
        }
        for (SiteWorkers.Preset preset : SiteWorkers.presets(type)) {
            services.insertWorker(new SiteWorker(Ids.newId("wrk"), siteId, preset.name(), CommandLine.argv("command", preset.command()),
                    preset.processes(), "pending", null, null, clock.instant()), tenantId, actor.userId());
        }
    }

    /** Changes settings; a job rewrites the site on its server (vhost, pool, names). */
    @Transactional
    public String update(Actor actor, String siteId, SiteSettings changes) {
        SiteRecord site = changeable(actor, siteId);
        Validation validation = new Validation();
        List<String> aliases = changes.aliases() == null ? site.aliases()
                : SiteInput.aliases(validation, "aliases", changes.aliases(), site.domain());
        if (changes.aliases() != null) {
            requireFreeHostNames(validation, null, aliases, site.id());
        }
        String webRoot = changes.webRoot() == null ? site.webRoot() : SiteInput.webRoot(validation, "webRoot", changes.webRoot());
        String phpVersion = site.phpVersion();
        if (changes.phpVersion() != null && site.type().usesPhp()) {
            Server server = servers.get(actor, site.serverId());
            phpVersion = SiteInput.phpVersion(validation, "phpVersion", changes.phpVersion(), phpVersions(server),
                    server.stack().phpDefaultVersion());
        } else if (changes.phpVersion() != null && !changes.phpVersion().isBlank()) {
            validation.reject("phpVersion", "A " + site.type().label() + " site runs no PHP.");
        }
        String repositoryUrl = site.repositoryUrl();
        if (changes.repositoryUrl() != null) {
            repositoryUrl = blankToNull(changes.repositoryUrl());
            if (repositoryUrl != null) {
                repositoryUrl = SiteInput.repositoryUrl(validation, "repositoryUrl", repositoryUrl, settings.allowLocalRepositories());
            }
        }
        String branch = changes.branch() == null ? site.branch() : SiteInput.branch(validation, "branch", changes.branch());
        if (repositoryUrl != null && branch == null) {
            branch = "main";
        }
        String deployScript = changes.deployScript() == null ? site.deployScript()
                : SiteInput.deployScript(validation, "deployScript", changes.deployScript());
        List<String> sharedPaths = changes.sharedPaths() == null ? site.sharedPaths()
                : SiteInput.sharedPaths(validation, "sharedPaths", changes.sharedPaths());
        int keepReleases = changes.keepReleases() == null ? site.keepReleases()
                : SiteInput.keepReleases(validation, "keepReleases", changes.keepReleases());
        String nginxCustom = changes.nginxCustom() == null ? site.nginxCustom()
                : SiteInput.nginxCustom(validation, "nginxCustom", changes.nginxCustom());
        validation.throwIfInvalid();
        // clearing the repository leaves nothing to deploy; archives and WordPress core keep their source
        DeploySource source = repositoryUrl != null ? DeploySource.GIT
                : site.deploySource() == DeploySource.GIT ? DeploySource.NONE : site.deploySource();
        try {
            repository.updateSettings(site.id(), new SiteRepository.Settings(aliases, changes.redirectAliases() == null
                    ? site.redirectAliases() : changes.redirectAliases(), webRoot, phpVersion, source, repositoryUrl, branch,
                    deployScript, sharedPaths, keepReleases, changes.deployOnEnvChange() == null ? site.deployOnEnvChange()
                    : changes.deployOnEnvChange(), nginxCustom));
            if (!aliases.equals(site.aliases())) {
                repository.replaceHostNames(site.tenantId(), site.id(), concat(site.domain(), aliases));
            }
        } catch (DuplicateKeyException e) {
            throw new InvalidInput("aliases", "One of these host names was just taken by another site.");
        }
        Job job = enqueue(actor, site, SiteJobTypes.UPDATE, "Update site " + site.domain(), Map.of());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("changed", changedFields(changes));
        details.put("job", job.id());
        audit(actor, site, "site.update", details);
        return job.id();
    }

    /** Switches the WAF (ModSecurity with the OWASP CRS) for the site; a job applies it and finds out whether it runs. */
    @Transactional
    public String setWaf(Actor actor, String siteId, @Nullable WafMode mode) {
        SiteRecord site = changeable(actor, siteId);
        if (mode == null) {
            throw new InvalidInput("waf", "Choose off, detect or block.");
        }
        repository.setWaf(site.id(), mode, site.wafAvailable(), site.wafNote());
        Job job = enqueue(actor, site, SiteJobTypes.UPDATE, "WAF " + mode.key() + " for " + site.domain(), Map.of());
        audit(actor, site, "site.waf", Map.of("from", site.waf().key(), "to", mode.key(), "job", job.id()));
        return job.id();
    }

    /** Takes the site offline (every request answers 503) and stops its processes; the files stay. */
    @Transactional
    public String suspend(Actor actor, String siteId) {
        SiteRecord site = manageable(actor, siteId);
        if (site.status() != SiteStatus.READY) {
            throw new InvalidInput("status", "The site is " + site.status().key() + "; only a ready site can be suspended.");
        }
        Job job = enqueue(actor, site, SiteJobTypes.SUSPEND, "Suspend site " + site.domain(), Map.of());
        audit(actor, site, "site.suspend", Map.of("job", job.id()));
        return job.id();
    }

    @Transactional
    public String unsuspend(Actor actor, String siteId) {
        SiteRecord site = manageable(actor, siteId);
        if (site.status() != SiteStatus.SUSPENDED) {
            throw new InvalidInput("status", "The site is " + site.status().key() + "; only a suspended site can be brought back.");
        }
        Job job = enqueue(actor, site, SiteJobTypes.UNSUSPEND, "Bring back site " + site.domain(), Map.of());
        audit(actor, site, "site.unsuspend", Map.of("job", job.id()));
        return job.id();
    }

    /**
     * Deletes the site from its server (user, files, vhost, pool, services, cron, its databases) and then its records.
     *
     * @param confirmDomain    must equal the site's domain
     * @param removeDnsRecords also remove the DNS records the panel made for the site (otherwise they stay)
     */
    @Transactional
    public String delete(Actor actor, String siteId, @Nullable String confirmDomain, boolean removeDnsRecords) {
        SiteRecord site = manageable(actor, siteId);
        String confirm = confirmDomain == null ? "" : confirmDomain.strip().toLowerCase(java.util.Locale.ROOT);
        if (!confirm.equals(site.domain()) && !confirm.equals(java.net.IDN.toUnicode(site.domain()))) {
            throw new InvalidInput("confirm", "Type the site's domain, " + site.domain() + ", to confirm.");
        }
        if (site.status() == SiteStatus.DELETING) {
            throw new InvalidInput("confirm", "The site is already being deleted.");
        }
        repository.setStatus(site.id(), SiteStatus.DELETING, "Deletion queued.", null);
        siteEvents.changed(site.tenantPath(), site.id(), SiteStatus.DELETING.key(), "Deletion queued.");
        Job job = enqueue(actor, site, SiteJobTypes.DELETE, "Delete site " + site.domain(), Map.of());
        events.publishEvent(new SiteHostsRemoved(site.tenantId(), site.id(), site.domain(), removeDnsRecords, actor));
        audit(actor, site, "site.delete", Map.of("domain", site.domain(), "job", job.id(), "removeDnsRecords", removeDnsRecords));
        return job.id();
    }

    /** The secret that signs the site's push webhooks, shown on request; every showing is audited. */
    @Transactional
    public String revealWebhookSecret(Actor actor, String siteId) {
        SiteRecord site = manageable(actor, siteId);
        String secret = secrets.webhookSecret(site);
        audit(actor, site, "site.webhook_secret_shown", Map.of());
        return secret;
    }

    SiteRecord visible(Actor actor, String id) {
        if (!Ids.looksLike("site", id)) {
            throw new NotFound("Site", id.length() > 40 ? id.substring(0, 40) + "…" : id);
        }
        return repository.find(actor.actingTenantPath(), id).orElseThrow(() -> new NotFound("Site", id));
    }

    SiteRecord manageable(Actor actor, String id) {
        AccessPolicy.require(actor, Permission.SITE_MANAGE);
        return visible(actor, id);
    }

    /** A site whose settings may change now: no lifecycle job is working on it and it is not suspended. */
    private SiteRecord changeable(Actor actor, String id) {
        SiteRecord site = manageable(actor, id);
        if (site.status().busy()) {
            throw new InvalidInput("status", "The site is " + site.status().key() + "; wait until that has finished.");
        }
        if (site.status() == SiteStatus.SUSPENDED) {
            throw new InvalidInput("status", "The site is suspended; bring it back before changing it.");
        }
        return site;
    }

    private Job enqueue(Actor actor, SiteRecord site, String type, String title, Map<String, ?> params) {
        Job job = jobs.enqueue(new NewJob(site.tenantId(), type, title, "site", site.id(), params, actor));
        repository.setLastJob(site.id(), job.id());
        return job;
    }

    void audit(Actor actor, SiteRecord site, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(site.tenantId(), actor.userId(), actor.email(), action, "site", site.id(), details));
    }

    private @Nullable Server server(Validation validation, Actor actor, @Nullable String serverId) {
        String id = serverId == null ? "" : serverId.strip();
        if (id.isEmpty()) {
            validation.reject("serverId", "Choose the server the site runs on.");
            return null;
        }
        Server server;
        try {
            server = servers.get(actor, id);
        } catch (NotFound e) {
            validation.reject("serverId", "There is no such server.");
            return null;
        }
        if (server.status() != ServerStatus.READY) {
            validation.reject("serverId", "The server is " + server.status().key() + "; sites need a ready server.");
            return null;
        }
        if (!server.tenantId().equals(actor.actingTenantId())) {
            validation.reject("serverId", "A site belongs to its server's tenant: switch to the tenant of server " + server.name()
                    + " to create sites on it.");
            return null;
        }
        return server;
    }

    /** The PHP versions the server has: what provisioning reported, else what was asked for. */
    @SuppressWarnings("unchecked")
    private static List<String> phpVersions(Server server) {
        if (server.facts().get("php_versions") instanceof List<?> reported && !reported.isEmpty()) {
            List<String> versions = new ArrayList<>();
            reported.forEach(version -> versions.add(String.valueOf(version)));
            return versions;
        }
        return server.stack().phpVersions();
    }

    private void requireFreeHostNames(Validation validation, @Nullable String domain, List<String> aliases, @Nullable String siteId) {
        if (domain != null && SiteInput.hostNameOrNull(domain) != null && repository.hostNameTaken(domain, siteId)) {
            validation.reject("domain", "Another site already answers to " + domain + ".");
        }
        for (String alias : aliases) {
            if (repository.hostNameTaken(alias, siteId)) {
                validation.reject("aliases", "Another site already answers to " + alias + ".");
                return;
            }
        }
    }

    private String systemUser(String serverId, String domain) {
        String base = SiteInput.systemUserBase(domain);
        for (int attempt = 0; attempt < 20; attempt++) {
            StringBuilder user = new StringBuilder(base).append('_');
            for (int i = 0; i < 4; i++) {
                user.append(USER_ALPHABET.charAt(random.nextInt(USER_ALPHABET.length())));
            }
            if (!repository.systemUserTaken(serverId, user.toString())) {
                return user.toString();
            }
        }
        throw new IllegalStateException("no free system user for " + base + " on server " + serverId);
    }

    private static boolean hostNameClash(DuplicateKeyException e) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        return message.contains("site_domains");
    }

    private static List<String> changedFields(SiteSettings changes) {
        Map<String, @Nullable Object> given = new LinkedHashMap<>();
        given.put("aliases", changes.aliases());
        given.put("redirectAliases", changes.redirectAliases());
        given.put("webRoot", changes.webRoot());
        given.put("phpVersion", changes.phpVersion());
        given.put("repositoryUrl", changes.repositoryUrl());
        given.put("branch", changes.branch());
        given.put("deployScript", changes.deployScript());
        given.put("sharedPaths", changes.sharedPaths());
        given.put("keepReleases", changes.keepReleases());
        given.put("deployOnEnvChange", changes.deployOnEnvChange());
        given.put("nginxCustom", changes.nginxCustom());
        return given.entrySet().stream().filter(entry -> entry.getValue() != null).map(Map.Entry::getKey).toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
