package io.vippanel.sites.internal;

import io.vippanel.sites.DeploySource;
import io.vippanel.sites.DeploymentStatus;
import io.vippanel.sites.Site;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteType;
import io.vippanel.sites.WafMode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A site row as stored, secrets still sealed; {@link #view()} is what people may see. */
public record SiteRecord(String id, String tenantId, String tenantPath, String serverId, String serverName, SiteType type,
                         String domain, List<String> aliases, boolean redirectAliases, String webRoot,
                         @Nullable String phpVersion, @Nullable Integer appPort, String systemUser,
                         DeploySource deploySource, @Nullable String repositoryUrl, @Nullable String branch,
                         String sealedDeployKey, String deployKeyPublic, String deployScript, List<String> sharedPaths,
                         int keepReleases, String sealedWebhookSecret, @Nullable String sealedEnvironment,
                         boolean deployOnEnvChange, String nginxCustom, WafMode waf, @Nullable Boolean wafAvailable,
                         @Nullable String wafNote, SiteStatus status, @Nullable String statusNote,
                         @Nullable String failedStep, @Nullable String currentRelease, @Nullable String currentCommit,
                         @Nullable Instant lastDeployedAt, @Nullable DeploymentStatus lastDeploymentStatus,
                         @Nullable String lastJobId, Instant createdAt) {

    /** Every host name the site answers to: its domain first, then its aliases. */
    public List<String> hostNames() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(domain), aliases.stream()).toList();
    }

    public Site view() {
        return new Site(id, tenantId, serverId, serverName, type, domain, aliases, redirectAliases, webRoot, phpVersion,
                appPort, systemUser, deploySource, repositoryUrl, branch, deployKeyPublic, deployScript, sharedPaths,
                keepReleases, deployOnEnvChange, nginxCustom, waf, wafAvailable, wafNote, status, statusNote, failedStep,
                currentRelease, currentCommit, lastDeployedAt, lastDeploymentStatus, lastJobId, createdAt);
    }
}
