package io.vippanel.sites;

import org.jspecify.annotations.Nullable;

/**
 * Changes to a site's settings, as given; {@code null} leaves a setting as it is. Changing what the server serves
 * (names, web root, PHP version, custom nginx directives) rewrites the vhost through a job.
 */
public record SiteSettings(@Nullable String aliases, @Nullable Boolean redirectAliases, @Nullable String webRoot,
                           @Nullable String phpVersion, @Nullable String repositoryUrl, @Nullable String branch,
                           @Nullable String deployScript, @Nullable String sharedPaths, @Nullable Integer keepReleases,
                           @Nullable Boolean deployOnEnvChange, @Nullable String nginxCustom) {
}
