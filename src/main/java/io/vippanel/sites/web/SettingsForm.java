package io.vippanel.sites.web;

import io.vippanel.sites.Site;
import io.vippanel.sites.SiteSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The settings tab as typed; its check boxes are always on the form, so an absent one means off. */
public record SettingsForm(@Nullable String aliases, @Nullable String redirectAliases, @Nullable String webRoot,
                           @Nullable String phpVersion, @Nullable String repositoryUrl, @Nullable String branch,
                           @Nullable String deployScript, @Nullable String sharedPaths, @Nullable String keepReleases,
                           @Nullable String deployOnEnvChange, @Nullable String nginxCustom) {

    public SiteSettings toSettings() {
        return new SiteSettings(text(aliases), SiteForm.checked(redirectAliases), text(webRoot), SiteForm.blankToNull(phpVersion),
                text(repositoryUrl), text(branch), text(deployScript), text(sharedPaths), SiteForm.number("keepReleases", keepReleases),
                SiteForm.checked(deployOnEnvChange), text(nginxCustom));
    }

    /** The site's settings as the form shows them. */
    public static Map<String, String> of(Site site) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("aliases", String.join("\n", site.aliases()));
        values.put("redirectAliases", site.redirectAliases() ? "on" : "");
        values.put("webRoot", site.webRoot());
        values.put("phpVersion", site.phpVersion() == null ? "" : site.phpVersion());
        values.put("repositoryUrl", site.repositoryUrl() == null ? "" : site.repositoryUrl());
        values.put("branch", site.branch() == null ? "" : site.branch());
        values.put("deployScript", site.deployScript());
        values.put("sharedPaths", String.join("\n", site.sharedPaths()));
        values.put("keepReleases", Integer.toString(site.keepReleases()));
        values.put("deployOnEnvChange", site.deployOnEnvChange() ? "on" : "");
        values.put("nginxCustom", site.nginxCustom());
        return values;
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }
}
