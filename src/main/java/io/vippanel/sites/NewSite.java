package io.vippanel.sites;

import org.jspecify.annotations.Nullable;

/**
 * What the create wizard and {@code POST /api/v1/sites} ask for, as given (validated by {@link Sites#create}).
 *
 * @param aliases      host names separated by commas, spaces or new lines
 * @param deployScript {@code null} or blank for the type's preset
 * @param sharedPaths  {@code null} for the type's preset; otherwise paths separated by commas or new lines
 * @param wordpress    for a WordPress site without a repository: the site the panel installs; {@code null} otherwise
 */
public record NewSite(@Nullable String serverId, @Nullable String type, @Nullable String domain, @Nullable String aliases,
                      boolean redirectAliases, @Nullable String webRoot, @Nullable String phpVersion,
                      @Nullable String repositoryUrl, @Nullable String branch, @Nullable String deployScript,
                      @Nullable String sharedPaths, @Nullable Integer keepReleases, @Nullable WordPressSetup wordpress) {

    /** The WordPress the panel installs: the site's title and its first administrator (who gets a generated password). */
    public record WordPressSetup(@Nullable String title, @Nullable String adminUser, @Nullable String adminEmail) {
    }
}
