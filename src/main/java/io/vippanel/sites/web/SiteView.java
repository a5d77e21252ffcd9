package io.vippanel.sites.web;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.platform.web.Csrf;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploymentStatus;
import io.vippanel.sites.Site;
import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteDatabase;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteType;
import io.vippanel.sites.SiteWorker;
import io.vippanel.sites.WafMode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One site's page: the site, the open tab and what that tab shows, and what the last action left to show (field
 * errors with the values entered, a secret shown once).
 *
 * @param webhookUrl the absolute address the git host calls
 * @param phpVersions the PHP versions installed on the site's server
 */
public record SiteView(Site site, SiteTab tab, boolean canManage, Csrf csrf, String webhookUrl, List<String> phpVersions, Tab data,
                       Extras extras) {

    /**
     * What the open tab shows; only the open tab's parts are read.
     *
     * @param selected    the deployment whose log the deployments tab shows
     * @param log         that deployment's job log so far
     * @param environment the {@code .env} text, {@code null} where it is not shown
     * @param note        why a part of the tab reads N/A
     * @param outputJob   the job that fetched a cron job's last output
     */
    public record Tab(List<Deployment> deployments, @Nullable Deployment selected, List<JobLogLine> log, @Nullable String environment,
                      List<SiteDatabase> databases, List<SiteCronJob> cronJobs, List<SiteWorker> workers, @Nullable Job outputJob,
                      @Nullable String note) {

        public static final Tab NONE = new Tab(List.of(), null, List.of(), null, List.of(), List.of(), List.of(), null, null);

        /** The seq of the last log line shown; the live stream continues after it. */
        public long lastSeq() {
            return log.isEmpty() ? 0 : log.getLast().seq();
        }
    }

    /**
     * @param errors    field errors of the last action, keyed by its form's fields
     * @param entered   what was typed into that form, to show again
     * @param secret    a password or secret shown once, with {@code secretOf} saying whose
     */
    public record Extras(Map<String, String> errors, Map<String, String> entered, @Nullable String secret, @Nullable String secretOf) {

        public static final Extras NONE = new Extras(Map.of(), Map.of(), null, null);

        public static Extras secret(String secret, String of) {
            return new Extras(Map.of(), Map.of(), secret, of);
        }
    }

    public Map<String, String> errors() {
        return extras.errors();
    }

    /**
     * Refusals that belong to no field of the open tab's forms (the site's state, a deployment under way, a repository
     * missing for a deployment): shown above the tab.
     */
    public List<String> pageErrors() {
        return extras.errors().entrySet().stream()
                .filter(error -> PAGE_FIELDS.contains(error.getKey()) || error.getKey().equals("repositoryUrl") && tab != SiteTab.SETTINGS)
                .map(Map.Entry::getValue).toList();
    }

    private static final List<String> PAGE_FIELDS = List.of("site", "status", "deployment", "server", "waf", "archive");

    /** What was typed into the last form, or {@code fallback} when nothing was. */
    public String entered(String field, @Nullable String fallback) {
        String typed = extras.entered().get(field);
        return typed != null ? typed : fallback == null ? "" : fallback;
    }

    public String entered(String field) {
        return entered(field, "");
    }

    /** The secret shown once, if it belongs to {@code of}. */
    public @Nullable String secretOf(String of) {
        return of.equals(extras.secretOf()) ? extras.secret() : null;
    }

    public boolean ready() {
        return site.status() == SiteStatus.READY;
    }

    public boolean canChange() {
        return canManage && ready();
    }

    public boolean canDeploy() {
        return canChange() && (site.repositoryUrl() != null || site.deploySource() == io.vippanel.sites.DeploySource.WORDPRESS);
    }

    public boolean canUploadArchive() {
        return canChange() && site.type() == io.vippanel.sites.SiteType.STATIC;
    }

    public boolean canSuspend() {
        return canManage && site.status() == SiteStatus.READY;
    }

    public boolean canUnsuspend() {
        return canManage && site.status() == SiteStatus.SUSPENDED;
    }

    public boolean canDelete() {
        return canManage && site.status() != SiteStatus.DELETING;
    }

    public boolean usesPhp() {
        return site.type().usesPhp();
    }

    public boolean nodejs() {
        return site.type() == SiteType.NODEJS;
    }

    /** Whether a deployment's release is still on the server and is not the one serving now. */
    public boolean canRollBackTo(Deployment deployment) {
        return canChange() && deployment.status() == DeploymentStatus.SUCCEEDED && !deployment.releasePruned()
                && deployment.release() != null && !deployment.release().equals(site.currentRelease());
    }

    public boolean isSelected(Deployment deployment) {
        return data.selected() != null && data.selected().id().equals(deployment.id());
    }

    public List<WafMode> wafModes() {
        return List.of(WafMode.values());
    }

    public List<SiteTab> tabs() {
        return List.of(SiteTab.values());
    }
}
