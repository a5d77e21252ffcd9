package io.vippanel.sites;

import io.vippanel.platform.Ids;
import io.vippanel.servers.Server;
import io.vippanel.sites.internal.SiteRepository;
import io.vippanel.sites.internal.SiteSecrets;
import io.vippanel.sites.internal.SiteServiceRepository;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Site rows and their databases, cron jobs and workers for tests without a real server: written directly in the
 * system scope (secrets sealed as the panel seals them) and marked as if their jobs had run.
 */
public final class SiteServiceFixtures {

    private final SystemTransactions system;
    private final SiteRepository sites;
    private final SiteServiceRepository services;
    private final SiteSecrets secrets;
    private final JdbcClient jdbc;

    public SiteServiceFixtures(ApplicationContext context) {
        this.system = context.getBean(SystemTransactions.class);
        this.sites = context.getBean(SiteRepository.class);
        this.services = context.getBean(SiteServiceRepository.class);
        this.secrets = context.getBean(SiteSecrets.class);
        this.jdbc = JdbcClient.create(context.getBean(DataSource.class));
    }

    /** A {@code ready} site of the server's tenant, as if its create job had run. */
    public String site(Server server, SiteType type) {
        return site(server, type, "8.3");
    }

    /** A {@code ready} site with this PHP version (for a PHP type), e.g. the one a test host runs. */
    public String site(Server server, SiteType type, String phpVersion) {
        String id = Ids.newId("site");
        String tag = Ids.randomToken(8);
        system.run(() -> {
            sites.insert(new SiteRepository.NewRow(id, server.tenantId(), server.id(), type, "s-" + tag + ".example.test", List.of(),
                    true, type == SiteType.LARAVEL ? "public" : "", type.usesPhp() ? phpVersion : null,
                    type == SiteType.NODEJS ? sites.freeAppPort(server.id(), 3000) : null, "u" + tag.toLowerCase(Locale.ROOT),
                    DeploySource.NONE, null, null, secrets.seal(SiteSecrets.DEPLOY_KEY, id, "fixture deploy key"),
                    "ssh-ed25519 AAAAfixture", "", List.of(), 5, secrets.seal(SiteSecrets.WEBHOOK_SECRET, id, "fixture webhook secret"),
                    null), Instant.now());
            sites.setStatus(id, SiteStatus.READY, null, null);
        });
        return id;
    }

    /** The Linux user the site runs as. */
    public String systemUser(String siteId) {
        return system.call(() -> jdbc.sql("SELECT \"system_user\" FROM sites WHERE id = ?").param(siteId).query(String.class).single());
    }

    public void environment(String siteId, String dotenv) {
        system.run(() -> sites.setEnvironment(siteId, secrets.seal(SiteSecrets.ENVIRONMENT, siteId, dotenv)));
    }

    /** A present MariaDB database of the site with this password. */
    public String database(String siteId, String password) {
        String id = Ids.newId("db");
        String name = "db_" + Ids.randomToken(10);
        system.run(() -> {
            String[] owner = jdbc.sql("SELECT tenant_id, server_id FROM sites WHERE id = ?").param(siteId)
                    .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)}).single();
            services.insertDatabase(new SiteServiceRepository.DatabaseRow(id, owner[0], siteId, owner[1], "mariadb", name, name,
                    secrets.seal(SiteSecrets.DATABASE_PASSWORD, id, password), "pending", null, Instant.now()), null);
            services.setDatabaseStatus(id, "present", null);
        });
        return id;
    }

    public String cronJob(String siteId) {
        SiteCronJob job = new SiteCronJob(Ids.newId("cron"), siteId, "*/5 * * * *", "php artisan inspire", "fixture", "applied",
                Instant.now());
        system.run(() -> services.insertCronJob(job, tenantOf(siteId), null));
        return job.id();
    }

    public String worker(String siteId) {
        SiteWorker worker = new SiteWorker(Ids.newId("wrk"), siteId, "fixture " + Ids.randomToken(4), List.of("php", "artisan", "queue:work"),
                1, "active", null, Instant.now(), Instant.now());
        system.run(() -> services.insertWorker(worker, tenantOf(siteId), null));
        return worker.id();
    }

    /** Puts the site and its rows back as if every job had run (after a test queued a change that no worker runs). */
    public void settle(String siteId) {
        system.run(() -> {
            sites.setStatus(siteId, SiteStatus.READY, null, null);
            jdbc.sql("UPDATE site_databases SET status = 'present', status_note = NULL WHERE site_id = ?").param(siteId).update();
            jdbc.sql("UPDATE site_cron_jobs SET status = 'applied' WHERE site_id = ?").param(siteId).update();
            jdbc.sql("UPDATE site_workers SET status = 'active', status_note = NULL WHERE site_id = ?").param(siteId).update();
        });
    }

    private String tenantOf(String siteId) {
        return jdbc.sql("SELECT tenant_id FROM sites WHERE id = ?").param(siteId).query(String.class).single();
    }
}
