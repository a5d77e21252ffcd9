package io.vippanel.sites.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.servers.ServerAutomation;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteTls;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the sites module's jobs share: loading the site in the system scope, changing its status (announced live),
 * the site variables every site playbook takes, and running a playbook on the site's server.
 */
@Component
public class SiteWork {

    private final SiteRepository repository;
    private final SiteSecrets secrets;
    private final SiteEvents events;
    private final SystemTransactions tx;
    private final ServerAutomation servers;
    private final ObjectProvider<SiteTls> tls;
    private final Clock clock;

    public SiteWork(SiteRepository repository, SiteSecrets secrets, SiteEvents events, SystemTransactions tx,
                    ServerAutomation servers, ObjectProvider<SiteTls> tls, Clock clock) {
        this.repository = repository;
        this.secrets = secrets;
        this.events = events;
        this.tx = tx;
        this.servers = servers;
        this.tls = tls;
        this.clock = clock;
    }

    public SiteSecrets secrets() {
        return secrets;
    }

    public SiteEvents events() {
        return events;
    }

    public Clock clock() {
        return clock;
    }

    /** The job's site as it is now; a job whose site is gone fails for good. */
    public SiteRecord site(JobContext job) {
        String id = job.job().targetId();
        if (id == null) {
            throw JobFailure.permanent("The job names no site.");
        }
        return reload(id);
    }

    public SiteRecord reload(String siteId) {
        return tx.call(() -> repository.find("/", siteId)).orElseThrow(() -> JobFailure.permanent("Site " + siteId + " no longer exists."));
    }

    public void status(SiteRecord site, SiteStatus status, @Nullable String note, @Nullable String failedStep) {
        tx.run(() -> {
            repository.setStatus(site.id(), status, note, failedStep);
            events.changed(site.tenantPath(), site.id(), status.key(), note);
        });
    }

    /** Announces a change that is not a status change (a deployment finished, a worker restarted). */
    public void announce(SiteRecord site) {
        SiteRecord now = reload(site.id());
        tx.run(() -> events.changed(now.tenantPath(), now.id(), now.status().key(), now.statusNote()));
    }

    public void update(Consumer<SiteRepository> change) {
        tx.run(() -> change.accept(repository));
    }

    public <T> T read(Function<SiteRepository, T> read) {
        return tx.call(() -> read.apply(repository));
    }

    public SystemTransactions transactions() {
        return tx;
    }

    /** The site variables of automation/README.md ("Site playbooks") that every site playbook takes. */
    public Map<String, @Nullable Object> siteVars(SiteRecord site) {
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("site_id", site.id());
        vars.put("site_user", site.systemUser());
        vars.put("site_type", site.type().key());
        vars.put("site_domain", site.domain());
        vars.put("site_aliases", site.aliases());
        vars.put("site_redirect_aliases", site.redirectAliases());
        vars.put("site_web_root", site.webRoot());
        vars.put("site_php_version", site.phpVersion() == null ? "" : site.phpVersion());
        vars.put("site_app_port", site.appPort() == null ? 0 : site.appPort());
        vars.put("site_keep_releases", site.keepReleases());
        vars.put("site_waf", site.waf().key());
        vars.put("site_nginx_custom", site.nginxCustom());
        // Every playbook that renders the vhost keeps the site's HTTPS as the SSL module deployed it.
        SiteTls.Settings https = tls(site.id());
        vars.put("site_tls", https.enabled());
        vars.put("site_hsts", https.hsts());
        vars.put("site_tls_stapling", https.stapling());
        return vars;
    }

    /** Whether the site has a certificate deployed, so that its address starts with https://. */
    public boolean servesHttps(String siteId) {
        return tls(siteId).enabled();
    }

    private SiteTls.Settings tls(String siteId) {
        return tls.getIfAvailable(() -> id -> SiteTls.PLAIN).settingsOf(siteId);
    }

    /** The public addresses of the server, IPv4 first. */
    public List<String> serverAddresses(String serverId) {
        return servers.addresses(serverId);
    }

    /** Runs a site playbook on the site's server: the site variables plus {@code extra}. */
    public PlaybookResult playbook(JobContext job, SiteRecord site, String playbook, Map<String, @Nullable Object> extra,
                                   Set<String> secretVars, @Nullable Duration timeout) {
        Map<String, @Nullable Object> vars = siteVars(site);
        vars.putAll(extra);
        return servers.playbook(job, site.serverId(), playbook, vars, secretVars, timeout);
    }
}
