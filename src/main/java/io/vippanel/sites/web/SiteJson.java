package io.vippanel.sites.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.Site;
import io.vippanel.sites.Sites;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON shapes of the sites API. */
final class SiteJson {

    private SiteJson() {
    }

    @Schema(name = "Site", description = "A site on a managed server. No secret is ever part of it: the deploy key shows its "
            + "public half, the webhook secret only through POST /api/v1/sites/{id}/webhook-secret.")
    record SiteView(String id, String tenantId, String serverId, String serverName,
                    @Schema(allowableValues = {"static", "php", "laravel", "wordpress", "nodejs"}) String type, String domain,
                    List<String> aliases, boolean redirectAliases, String webRoot, @Nullable String phpVersion,
                    @Nullable Integer appPort, String systemUser,
                    @Schema(allowableValues = {"git", "archive", "wordpress", "none"}) String deploySource, @Nullable String repositoryUrl,
                    @Nullable String branch, String deployKeyPublic, String deployScript, List<String> sharedPaths,
                    int keepReleases, boolean deployOnEnvChange, String nginxCustom,
                    @Schema(allowableValues = {"off", "detect", "block"}) String waf, @Nullable Boolean wafAvailable,
                    @Nullable String wafNote,
                    @Schema(allowableValues = {"queued", "creating", "ready", "suspended", "failed", "deleting"}) String status,
                    @Nullable String statusNote, @Nullable String failedStep, @Nullable String currentRelease,
                    @Nullable String currentCommit, @Nullable Instant lastDeployedAt, @Nullable String lastDeploymentStatus,
                    @Nullable String lastJobId, String webhookPath, Instant createdAt) {
        static SiteView of(Site site) {
            return new SiteView(site.id(), site.tenantId(), site.serverId(), site.serverName(), site.type().key(), site.domain(),
                    site.aliases(), site.redirectAliases(), site.webRoot(), site.phpVersion(), site.appPort(), site.systemUser(),
                    site.deploySource().key(), site.repositoryUrl(), site.branch(), site.deployKeyPublic(), site.deployScript(),
                    site.sharedPaths(), site.keepReleases(), site.deployOnEnvChange(), site.nginxCustom(), site.waf().key(),
                    site.wafAvailable(), site.wafNote(), site.status().key(), site.statusNote(), site.failedStep(),
                    site.currentRelease(), site.currentCommit(), site.lastDeployedAt(),
                    site.lastDeploymentStatus() == null ? null : site.lastDeploymentStatus().key(), site.lastJobId(),
                    Sites.webhookPath(site.id()), site.createdAt());
        }
    }

    @Schema(name = "Deployment", description = "A deployment or rollback; its job's log is the deployment's log.")
    record DeploymentView(String id, String siteId, @Schema(allowableValues = {"deploy", "rollback"}) String kind,
                          @Schema(allowableValues = {"create", "manual", "webhook", "environment", "rollback"}) String trigger,
                          @Nullable String release, boolean releasePruned, @Nullable String commitHash,
                          @Nullable String commitMessage, @Nullable String branch, @Nullable String rollbackOf,
                          @Schema(allowableValues = {"queued", "running", "succeeded", "failed", "cancelled"}) String status,
                          @Nullable String failedStep, @Nullable String statusNote, List<Deployment.Step> steps,
                          @Nullable String jobId, @Nullable String requestedByName, @Nullable Instant startedAt,
                          @Nullable Instant finishedAt, @Nullable Long durationMillis, Instant createdAt) {
        static DeploymentView of(Deployment d) {
            return new DeploymentView(d.id(), d.siteId(), d.kind(), d.trigger(), d.release(), d.releasePruned(), d.commitHash(),
                    d.commitMessage(), d.branch(), d.rollbackOf(), d.status().key(), d.failedStep(), d.statusNote(), d.steps(),
                    d.jobId(), d.requestedByName(), d.startedAt(), d.finishedAt(), d.durationMillis(), d.createdAt());
        }
    }

    @Schema(name = "SiteJobAccepted", description = "The job doing the work; follow it at /api/v1/jobs/{jobId}.")
    record Accepted(String jobId) {
    }
}
