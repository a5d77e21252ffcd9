package io.vippanel.sites;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A site as people see it: never a secret (the deploy key's public half only).
 *
 * @param webRoot         document root inside a release, relative ({@code ""} or {@code public})
 * @param appPort         Node.js sites: the port the app listens on at 127.0.0.1
 * @param systemUser      the Linux user the site runs as on its server
 * @param deployScript    one shell command per line, run as the site user in the new release
 * @param sharedPaths     paths kept in {@code shared/} and linked into every release
 * @param wafAvailable    whether the server can run the WAF, {@code null} until a job found out
 * @param currentRelease  the release {@code current} points at
 */
public record Site(String id, String tenantId, String serverId, String serverName, SiteType type, String domain,
                   List<String> aliases, boolean redirectAliases, String webRoot, @Nullable String phpVersion,
                   @Nullable Integer appPort, String systemUser, DeploySource deploySource,
                   @Nullable String repositoryUrl, @Nullable String branch, String deployKeyPublic,
                   String deployScript, List<String> sharedPaths, int keepReleases, boolean deployOnEnvChange,
                   String nginxCustom, WafMode waf, @Nullable Boolean wafAvailable, @Nullable String wafNote,
                   SiteStatus status, @Nullable String statusNote, @Nullable String failedStep,
                   @Nullable String currentRelease, @Nullable String currentCommit, @Nullable Instant lastDeployedAt,
                   @Nullable DeploymentStatus lastDeploymentStatus, @Nullable String lastJobId, Instant createdAt) {
}
