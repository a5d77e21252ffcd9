package io.vippanel.servers.internal;

import io.vippanel.platform.LiveEvents;
import io.vippanel.servers.ServerStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Announces server status changes to every panel process, so that open pages update their status chips. */
@Component
public class ServerEvents {

    public static final String TOPIC = "servers.status";

    private final LiveEvents live;

    public ServerEvents(LiveEvents live) {
        this.live = live;
    }

    /** Call inside the transaction that changed the status: the event leaves when it commits. */
    public void status(String tenantPath, String serverId, ServerStatus status, @Nullable String note) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("tenantPath", tenantPath);
        event.put("serverId", serverId);
        event.put("status", status.key());
        event.put("note", note == null ? "" : note.length() > 500 ? note.substring(0, 500) + "…" : note);
        live.publish(TOPIC, event);
    }
}
