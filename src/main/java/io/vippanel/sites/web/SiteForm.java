package io.vippanel.sites.web;

import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.SiteType;
import io.vippanel.sites.internal.SitePresets;
import org.jspecify.annotations.Nullable;

/**
 * The create wizard as typed. {@code presetFor} is the type whose presets the web root was filled with, so that a
 * change of type replaces a preset but keeps what someone typed.
 */
public record SiteForm(@Nullable String serverId, @Nullable String type, @Nullable String domain, @Nullable String aliases,
                       @Nullable String redirectAliases, @Nullable String phpVersion, @Nullable String webRoot,
                       @Nullable String repositoryUrl, @Nullable String branch, @Nullable String deployScript,
                       @Nullable String keepReleases, @Nullable String presetFor, @Nullable String wordpressTitle,
                       @Nullable String wordpressAdminUser, @Nullable String wordpressAdminEmail) {

    /** A new wizard: a PHP site on the first ready server, its presets, five releases kept. */
    public static SiteForm empty(@Nullable String serverId) {
        return new SiteForm(serverId, SiteType.PHP.key(), "", "", null, null, presetWebRoot(SiteType.PHP), "", "main", "", "5",
                SiteType.PHP.key(), "", "", "");
    }

    public NewSite toNewSite() {
        return new NewSite(serverId, type, domain, aliases, checked(redirectAliases), webRoot, usesPhp() ? phpVersion : null,
                blankToNull(repositoryUrl), blankToNull(branch), blankToNull(deployScript), null, keepReleasesNumber(),
                installsWordPress() ? new NewSite.WordPressSetup(wordpressTitle, wordpressAdminUser, wordpressAdminEmail) : null);
    }

    /** A WordPress site given no repository is installed by the panel, which asks for its title and administrator. */
    public boolean installsWordPress() {
        return siteType() == SiteType.WORDPRESS && blankToNull(repositoryUrl) == null;
    }

    /** The chosen type, or PHP while none (or an unknown one) is chosen. */
    public SiteType siteType() {
        if (type != null) {
            for (SiteType candidate : SiteType.values()) {
                if (candidate.key().equals(type)) {
                    return candidate;
                }
            }
        }
        return SiteType.PHP;
    }

    /** After a change of type the web root follows the new type's preset, unless someone typed their own. */
    public SiteForm withPresets() {
        SiteType chosen = siteType();
        if (presetFor == null || presetFor.equals(chosen.key())) {
            return this;
        }
        SiteType previous = siteTypeOf(presetFor);
        boolean typedOwn = previous != null && !presetWebRoot(previous).equals(text(webRoot));
        return new SiteForm(serverId, type, domain, aliases, redirectAliases, phpVersion, typedOwn ? webRoot : presetWebRoot(chosen),
                repositoryUrl, branch, deployScript, keepReleases, chosen.key(), wordpressTitle, wordpressAdminUser, wordpressAdminEmail);
    }

    public boolean usesPhp() {
        return siteType().usesPhp();
    }

    public boolean redirectChecked() {
        return checked(redirectAliases);
    }

    public String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    /** Where each type serves from inside a release (Laravel's front controller lives in {@code public}). */
    public static String presetWebRoot(SiteType type) {
        return SitePresets.of(type).webRoot();
    }

    /** The commands a deployment runs when the form leaves the deploy script empty. */
    public String presetDeployScript() {
        return SitePresets.of(siteType()).deployScript();
    }

    static boolean checked(@Nullable String value) {
        return value != null && (value.equals("on") || value.equals("true"));
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private @Nullable Integer keepReleasesNumber() {
        return number("keepReleases", keepReleases);
    }

    /** A whole number as typed, {@code null} when empty; anything else is refused on its field. */
    static @Nullable Integer number(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInput(field, "Enter a whole number.");
        }
    }

    private static @Nullable SiteType siteTypeOf(String key) {
        for (SiteType candidate : SiteType.values()) {
            if (candidate.key().equals(key)) {
                return candidate;
            }
        }
        return null;
    }
}
