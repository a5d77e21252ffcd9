package io.vippanel.sites.internal;

import io.vippanel.sites.SiteType;
import java.util.List;

/** What a new site of each type starts with when the form leaves it out: web root, shared paths, deploy steps. */
public final class SitePresets {

    private static final String COMPOSER = "if [ -f composer.json ]; then composer install --no-dev --no-interaction --prefer-dist "
            + "--optimize-autoloader; fi";

    /**
     * One type's starting point.
     *
     * @param restart what a deployment restarts after the switch: {@code php-fpm}, {@code node} or {@code none}
     */
    public record Preset(String webRoot, List<String> sharedPaths, String deployScript, String restart) {
    }

    /**
     * A WordPress the panel installs keeps its configuration and all of wp-content (plugins, themes and uploads added
     * through WordPress itself) outside the releases, so that a new core release replaces only core.
     */
    public static final List<String> WORDPRESS_INSTALL_SHARED_PATHS = List.of("wp-config.php", "wp-content");

    private SitePresets() {
    }

    public static Preset of(SiteType type) {
        return switch (type) {
            case STATIC -> new Preset("", List.of(), "", "none");
            case PHP -> new Preset("", List.of(), COMPOSER, "php-fpm");
            case LARAVEL -> new Preset("public", List.of(".env", "storage"), String.join("\n", COMPOSER,
                    "php artisan migrate --force", "php artisan config:cache", "php artisan route:cache", "php artisan view:cache"),
                    "php-fpm");
            case WORDPRESS -> new Preset("", List.of("wp-content/uploads"), "", "php-fpm");
            // The app itself is (re)started after the switch with the workers, under the process manager.
            case NODEJS -> new Preset("", List.of(".env"), "npm ci\nnpm run build --if-present", "none");
        };
    }
}
