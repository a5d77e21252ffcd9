package io.vippanel.sites;

import io.vippanel.support.Fixture;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sites for tests that need no real server: created through the service on a ready fixture server (their creation
 * job stays queued where no worker runs), then marked ready; deployments written as if they had run.
 */
public final class SiteFixtures {

    private final ApplicationContext context;
    private final SystemTransactions system;
    private final JdbcClient jdbc;

    public SiteFixtures(ApplicationContext context) {
        this.context = context;
        this.system = context.getBean(SystemTransactions.class);
        this.jdbc = JdbcClient.create(context.getBean(DataSource.class));
    }

    /** The form of a static site with a repository, as the API sends it. */
    public static NewSite staticSite(String serverId, String domain) {
        return new NewSite(serverId, "static", domain, "", true, null, null, "https://git.example.test/owner/site.git", "main",
                null, null, null, null);
    }

    /** A static site with a repository on the server, marked ready. */
    public Site readySite(Actor owner, String serverId, String domain) {
        SiteCreated created = Fixture.as(owner, () -> context.getBean(Sites.class).create(owner, staticSite(serverId, domain)));
        markReady(created.site().id());
        return created.site();
    }

    /** Puts the site back to ready with no deployment under way, so that every action may run on it. */
    public void markReady(String siteId) {
        system.run(() -> {
            jdbc.sql("UPDATE sites SET status = 'ready', status_note = NULL, failed_step = NULL WHERE id = ?").params(siteId).update();
            jdbc.sql("UPDATE site_deployments SET status = 'cancelled' WHERE site_id = ? AND status IN ('queued', 'running')")
                    .params(siteId).update();
        });
    }

    public void setStatus(String siteId, SiteStatus status) {
        system.run(() -> jdbc.sql("UPDATE sites SET status = ? WHERE id = ?").params(status.key(), siteId).update());
    }

    /** A deployment that succeeded with a release the site keeps but does not run, so that it can be rolled back to. */
    public String succeededDeployment(String siteId) {
        String id = io.vippanel.platform.Ids.newId("dep");
        system.run(() -> jdbc.sql("""
                INSERT INTO site_deployments (id, tenant_id, site_id, kind, trigger, release, commit_hash, commit_message, branch,
                                              status, steps, started_at, finished_at, duration_ms, created_at)
                SELECT ?, tenant_id, id, 'deploy', 'manual', '20200101000000', 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
                       'First commit', 'main', 'succeeded', '[]'::jsonb, now(), now(), 1000, now() - interval '1 day'
                  FROM sites WHERE id = ?""").params(id, siteId).update());
        return id;
    }
}
