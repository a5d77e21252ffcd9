package io.vippanel.servers.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRedirectView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import org.springframework.web.servlet.View;

/** What the servers and provider pages share in how they answer HTMX and plain browsers. */
final class ServerPages {

    private ServerPages() {
    }

    /** Boosted navigation and history restores need the whole page; other HTMX requests swap a fragment. */
    static boolean wantsFragment(HtmxRequest htmx) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() && !htmx.isHistoryRestoreRequest();
    }

    /** A boosted form follows a plain redirect (and keeps the flash toast); an hx-post needs HX-Redirect. */
    static Object redirect(HtmxRequest htmx, String url) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() ? (View) new HtmxRedirectView(url) : "redirect:" + url;
    }

    /** Service refusals read as clauses; a toast shows them as a sentence. */
    static String sentence(String reason) {
        String text = reason.isEmpty() ? reason : Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
