package io.vippanel.sites.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.SiteCreated;
import io.vippanel.sites.WordPressAdmin;
import io.vippanel.sites.SiteSettings;
import io.vippanel.sites.Sites;
import io.vippanel.sites.WafMode;
import io.vippanel.tenancy.Actor;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sites}: create sites, read them, change, suspend and delete them. Work on the server runs as a
 * background job: such calls answer 202 with the job, to follow at {@code /api/v1/jobs/{id}}.
 */
@RestController
@RequestMapping("/api/v1/sites")
@Tag(name = "Sites", description = "Sites on managed servers: create, settings, WAF, suspend, delete, webhook secret.")
class SitesApi {

    @Schema(name = "SitePage")
    record SitePage(List<SiteJson.SiteView> items, long total, int limit, int offset) {
    }

    @Schema(name = "NewSite", description = "type: static, php, laravel, wordpress or nodejs. domain: a host name (an "
            + "international name is stored in punycode). aliases: host names separated by commas or spaces. webRoot, "
            + "deployScript (one command per line) and sharedPaths (separated by commas or new lines) default to the type's "
            + "preset. repositoryUrl: https://, ssh:// or git@host:path; branch defaults to main. keepReleases 1-50, default 5. "
            + "A wordpress site without repositoryUrl is installed by the panel (the server needs MariaDB): wordpress gives "
            + "its title (default: the domain) and first administrator (adminUser, adminEmail).")
    record CreateSite(@Nullable String serverId, @Nullable String type, @Nullable String domain, @Nullable String aliases,
                      @Nullable Boolean redirectAliases, @Nullable String webRoot, @Nullable String phpVersion,
                      @Nullable String repositoryUrl, @Nullable String branch, @Nullable String deployScript,
                      @Nullable String sharedPaths, @Nullable Integer keepReleases, @Nullable WordPress wordpress) {
    }

    @Schema(name = "NewWordPress", description = "adminUser: up to 60 letters, digits and _ . @ -; title: up to 200 characters.")
    record WordPress(@Nullable String title, @Nullable String adminUser, @Nullable String adminEmail) {
    }

    @Schema(name = "SiteCreated", description = "The new site (queued) and the job creating it. wordpressAdmin: for a "
            + "WordPress site the panel installs, its administrator; the password is in this answer only, never again.")
    record Created(SiteJson.SiteView site, String jobId, @Nullable WordPressAdmin wordpressAdmin) {
    }

    @Schema(name = "SiteSettings", description = "Only the fields given change. repositoryUrl \"\" removes the repository.")
    record ChangeSite(@Nullable String aliases, @Nullable Boolean redirectAliases, @Nullable String webRoot,
                      @Nullable String phpVersion, @Nullable String repositoryUrl, @Nullable String branch,
                      @Nullable String deployScript, @Nullable String sharedPaths, @Nullable Integer keepReleases,
                      @Nullable Boolean deployOnEnvChange, @Nullable String nginxCustom) {
    }

    @Schema(name = "SiteWaf")
    record Waf(@Schema(allowableValues = {"off", "detect", "block"}) @Nullable String mode) {
    }

    @Schema(name = "SiteWebhook", description = "Where and with what secret a repository host posts push notifications.")
    record Webhook(String url, String secret) {
    }

    private final Sites sites;
    private final io.vippanel.platform.VipProperties properties;

    SitesApi(Sites sites, io.vippanel.platform.VipProperties properties) {
        this.sites = sites;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "List sites", description = "Sites of the tenants the caller may see, newest first.")
    SitePage list(@AuthenticationPrincipal Actor actor,
                  @Parameter(description = "Only the sites of this server") @RequestParam(required = false) @Nullable String serverId,
                  @Parameter(description = "Part of the domain, an alias or a site id") @RequestParam(required = false) @Nullable String q,
                  @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, Sites.MAX_PAGE);
        Validation validation = new Validation();
        String search = validation.optionalFilter("q", q, 100);
        String server = validation.optionalFilter("serverId", serverId, 40);
        validation.throwIfInvalid();
        return new SitePage(sites.list(actor, server, search, limit, offset).stream().map(SiteJson.SiteView::of).toList(),
                sites.count(actor, server, search), limit, offset);
    }

    @PostMapping
    @Operation(summary = "Create a site", description = "Writes the site queued and its creation job in one transaction; "
            + "answers 201. The job creates the Linux user, folders, PHP-FPM pool or Node.js service and nginx vhost, checks "
            + "that the site answers, and deploys the repository when one is given. Invalid input 422 with a message per field.")
    ResponseEntity<Created> create(@AuthenticationPrincipal Actor actor, @RequestBody CreateSite request) {
        SiteCreated created = sites.create(actor, new NewSite(request.serverId(), request.type(), request.domain(), request.aliases(),
                !Boolean.FALSE.equals(request.redirectAliases()), request.webRoot(), request.phpVersion(), request.repositoryUrl(),
                request.branch(), request.deployScript(), request.sharedPaths(), request.keepReleases(), request.wordpress() == null ? null
                : new NewSite.WordPressSetup(request.wordpress().title(), request.wordpress().adminUser(), request.wordpress().adminEmail())));
        return ResponseEntity.created(URI.create("/api/v1/sites/" + created.site().id()))
                .body(new Created(SiteJson.SiteView.of(created.site()), created.jobId(), created.wordpressAdmin()));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a site")
    SiteJson.SiteView get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return SiteJson.SiteView.of(sites.get(actor, id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a site's settings", description = "Answers 202 with the job that applies them on the server.")
    ResponseEntity<SiteJson.Accepted> update(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                                             @RequestBody ChangeSite request) {
        return accepted(sites.update(actor, id, new SiteSettings(request.aliases(), request.redirectAliases(), request.webRoot(),
                request.phpVersion(), request.repositoryUrl(), request.branch(), request.deployScript(), request.sharedPaths(),
                request.keepReleases(), request.deployOnEnvChange(), request.nginxCustom())));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a site", description = "Removes the site from its server (user, files, vhost, pool, services, "
            + "cron jobs, its databases) and then its records. confirm must be the site's domain; removeDnsRecords=true also "
            + "removes the A/AAAA records the panel made for it. Answers 202 with the job.")
    ResponseEntity<SiteJson.Accepted> delete(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                                             @RequestParam(required = false) @Nullable String confirm,
                                             @RequestParam(defaultValue = "false") boolean removeDnsRecords) {
        return accepted(sites.delete(actor, id, confirm, removeDnsRecords));
    }

    @PostMapping("/{id}/suspend")
    @Operation(summary = "Suspend a site", description = "Every request answers 503 and the site's processes stop; files stay.")
    ResponseEntity<SiteJson.Accepted> suspend(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(sites.suspend(actor, id));
    }

    @PostMapping("/{id}/unsuspend")
    @Operation(summary = "Bring a suspended site back")
    ResponseEntity<SiteJson.Accepted> unsuspend(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return accepted(sites.unsuspend(actor, id));
    }

    @PutMapping("/{id}/waf")
    @Operation(summary = "Switch the WAF", description = "Body {\"mode\": \"off\" | \"detect\" | \"block\"}: ModSecurity with the "
            + "OWASP Core Rule Set, logging only or blocking. Answers 202 with the job.")
    ResponseEntity<SiteJson.Accepted> waf(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody Waf request) {
        WafMode mode = null;
        for (WafMode candidate : WafMode.values()) {
            if (candidate.key().equals(request.mode())) {
                mode = candidate;
            }
        }
        if (mode == null) {
            // Looks the site up first, so that a site out of reach is a 404 whatever the body says.
            sites.get(actor, id);
            throw new InvalidInput("mode", "Choose off, detect or block.");
        }
        return accepted(sites.setWaf(actor, id, mode));
    }

    @PostMapping("/{id}/webhook-secret")
    @Operation(summary = "Show the push webhook's URL and secret", description = "For GitHub (secret, JSON content type) or "
            + "GitLab (secret token). Every showing is audited.")
    Webhook webhookSecret(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        String secret = sites.revealWebhookSecret(actor, id);
        return new Webhook(properties.baseUrl().replaceAll("/+$", "") + Sites.webhookPath(id), secret);
    }

    private static ResponseEntity<SiteJson.Accepted> accepted(String jobId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/jobs/" + jobId)).body(new SiteJson.Accepted(jobId));
    }
}
