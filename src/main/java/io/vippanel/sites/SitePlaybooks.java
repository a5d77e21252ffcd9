package io.vippanel.sites;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteWork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * For other modules' jobs that change a site on its server (its certificate): the site as the system sees it and its
 * playbooks run with the site variables, on the server's automation lease like the sites module's own jobs.
 */
@Service
public class SitePlaybooks {

    private final SiteWork work;

    public SitePlaybooks(SiteWork work) {
        this.work = work;
    }

    /**
     * A site as jobs address it.
     *
     * @param tenantPath the path of the tenant that owns the site
     * @param addresses  the public addresses of the site's server (IPv4 first), where its A/AAAA records point
     */
    public record SiteHost(String id, String tenantId, String tenantPath, String serverId, String domain, List<String> aliases,
                           List<String> addresses) {
    }

    /** The site in the system scope; a job whose site is gone fails for good. */
    public SiteHost site(String siteId) {
        SiteRecord site = work.reload(siteId);
        return new SiteHost(site.id(), site.tenantId(), site.tenantPath(), site.serverId(), site.domain(), site.aliases(),
                work.serverAddresses(site.serverId()));
    }

    /** Runs a site playbook on the site's server with the site variables plus {@code extra}. */
    public PlaybookResult run(JobContext job, String siteId, String playbook, Map<String, @Nullable Object> extra,
                              Set<String> secretVars, @Nullable Duration timeout) {
        return work.playbook(job, work.reload(siteId), playbook, extra, secretVars, timeout);
    }
}
