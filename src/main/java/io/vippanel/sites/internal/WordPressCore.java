package io.vippanel.sites.internal;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.platform.VipProperties;
import io.vippanel.sites.internal.SiteServiceRepository.DatabaseRow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What a deployment of WordPress core needs: the archive to download, the site's database and, until WordPress is
 * installed, its title and first administrator. The passwords travel in a secret variable of their own; the rest is
 * left readable in the job's log.
 */
@Component
class WordPressCore {

    static final String SECRET_VAR = "deploy_wordpress_secrets";

    private final SiteWork work;
    private final WordPressInstalls installs;
    private final SiteServiceRepository services;
    private final VipProperties.Sites settings;

    WordPressCore(SiteWork work, WordPressInstalls installs, SiteServiceRepository services, VipProperties properties) {
        this.work = work;
        this.installs = installs;
        this.services = services;
        this.settings = properties.sites();
    }

    /** The deploy_wordpress* variables of site-deploy.yml. */
    Map<String, @Nullable Object> vars(JobContext job, SiteRecord site) {
        WordPressInstalls.Install install = work.transactions().call(() -> installs.find(site.id()))
                .orElseThrow(() -> JobFailure.permanent("The site has no WordPress install recorded."));
        boolean installing = install.installedAt() == null;
        Map<String, Object> wordpress = new LinkedHashMap<>();
        wordpress.put("install", installing);
        Map<String, String> secrets = new LinkedHashMap<>();
        if (installing) {
            String sealedAdminPassword = install.sealedAdminPassword();
            if (sealedAdminPassword == null) {
                throw JobFailure.permanent("WordPress is not installed and the administrator's password is gone; delete the site and "
                        + "create it again.");
            }
            DatabaseRow database = install.databaseId() == null ? null
                    : work.transactions().call(() -> services.database(site.id(), install.databaseId())).orElse(null);
            if (database == null || !database.status().equals("present")) {
                throw JobFailure.permanent(database == null ? "The WordPress database was dropped; WordPress cannot be installed without it."
                        : "The WordPress database is " + database.status() + (database.statusNote() == null ? "." : ": " + database.statusNote()));
            }
            String databasePassword = work.secrets().open(SiteSecrets.DATABASE_PASSWORD, database.id(), database.sealedPassword());
            String adminPassword = work.secrets().open(SiteSecrets.WORDPRESS_ADMIN_PASSWORD, site.id(), sealedAdminPassword);
            job.redact(databasePassword);
            job.redact(adminPassword);
            wordpress.put("db_name", database.name());
            wordpress.put("db_user", database.username());
            wordpress.put("db_host", "localhost");
            wordpress.put("url", (work.servesHttps(site.id()) ? "https://" : "http://") + site.domain());
            wordpress.put("title", install.title());
            wordpress.put("admin_user", install.adminUser());
            wordpress.put("admin_email", install.adminEmail());
            secrets.put("db_password", databasePassword);
            secrets.put("admin_password", adminPassword);
        }
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("deploy_wordpress_archive", settings.wordpressArchive());
        vars.put("deploy_wordpress_checksum", settings.wordpressChecksum());
        vars.put("deploy_wordpress", wordpress);
        vars.put(SECRET_VAR, secrets);
        return vars;
    }

    /** In the deployment's closing transaction: the core version recorded and the administrator's password forgotten. */
    void installed(SiteRecord site, String version) {
        installs.installed(site.id(), version, work.clock().instant());
    }
}
