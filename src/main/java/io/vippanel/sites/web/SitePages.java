package io.vippanel.sites.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRedirectView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.servers.Server;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.View;

/** How the sites pages answer HTMX and plain browsers, and how they write times and durations; unknown values read N/A. */
public final class SitePages {

    public static final String NA = "N/A";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private SitePages() {
    }

    /** Boosted navigation and history restores need the whole page; other HTMX requests swap a fragment. */
    static boolean wantsFragment(HtmxRequest htmx) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() && !htmx.isHistoryRestoreRequest();
    }

    /** A boosted form follows a plain redirect (and keeps the flash toast); an hx-post needs HX-Redirect. */
    static Object redirect(HtmxRequest htmx, String url) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() ? (View) new HtmxRedirectView(url) : "redirect:" + url;
    }

    /** The PHP versions a server has: what provisioning found there, else what it was asked to install (as {@code Sites} checks them). */
    static List<String> phpVersions(Server server) {
        if (server.facts().get("php_versions") instanceof List<?> reported && !reported.isEmpty()) {
            return reported.stream().map(String::valueOf).toList();
        }
        return server.stack().phpVersions();
    }

    public static String dateTime(Instant at) {
        return DATE_TIME.format(at);
    }

    /** {@code 42 s}, {@code 3 min 5 s}, or N/A while unknown. */
    public static String duration(@Nullable Long millis) {
        if (millis == null) {
            return NA;
        }
        Duration duration = Duration.ofMillis(millis);
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        return duration.toSeconds() > 0 ? duration.toSeconds() + " s" : millis + " ms";
    }

    /** The first 10 characters of a commit hash, or N/A. */
    public static String shortCommit(@Nullable String hash) {
        return hash == null || hash.isBlank() ? NA : hash.substring(0, Math.min(10, hash.length()));
    }

    public static String query(@Nullable String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
