package io.vippanel.sites.internal;

import io.vippanel.platform.LiveEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Announces site changes (status, deployments) to every panel process, so that open pages update live. */
@Component
public class SiteEvents {

    public static final String TOPIC = "sites.status";

    private final LiveEvents live;

    public SiteEvents(LiveEvents live) {
        this.live = live;
    }

    /** Call inside the transaction that changed the site: the event leaves when it commits. */
    public void changed(String tenantPath, String siteId, String status, @Nullable String note) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("tenantPath", tenantPath);
        event.put("siteId", siteId);
        event.put("status", status);
        event.put("note", note == null ? "" : note.length() > 500 ? note.substring(0, 500) + "…" : note);
        live.publish(TOPIC, event);
    }
}
