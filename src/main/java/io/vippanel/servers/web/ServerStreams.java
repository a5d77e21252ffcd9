package io.vippanel.servers.web;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.web.SseChannel;
import io.vippanel.platform.web.SseStreams;
import io.vippanel.servers.internal.ServerEvents;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Browsers watching servers on this API node. Status changes arrive from any worker through {@link LiveEvents};
 * each stream receives only those of tenants its user may see, as rendered status chips for htmx-ext-sse:
 * {@code status-<serverId>} for one server's chip, {@code server-status} for anything that lists servers. Each
 * stream is kept with the tenant path of the subtree its user sees.
 */
@Component
class ServerStreams extends SseStreams<String> {

    private final TemplateEngine templates;

    ServerStreams(LiveEvents live, TemplateEngine templates, VipProperties properties) {
        super(live, ServerEvents.TOPIC, properties, "vip-server-sse");
        this.templates = templates;
    }

    SseEmitter open(String scopePath) {
        return open(newChannel(), scopePath);
    }

    @Override
    protected void onEvent(JsonNode event) {
        String tenantPath = event.path("tenantPath").asString("");
        String serverId = event.path("serverId").asString("");
        String status = event.path("status").asString("unknown");
        if (tenantPath.isEmpty() || serverId.isEmpty()) {
            return;
        }
        for (Map.Entry<SseChannel, String> stream : streams()) {
            if (tenantPath.startsWith(stream.getValue())) {
                SseChannel channel = stream.getKey();
                channel.enqueue(() -> {
                    String chip = statusChip(status);
                    channel.send(SseEmitter.event().name("status-" + serverId).data(chip));
                    channel.send(SseEmitter.event().name("server-status").data(chip));
                });
            }
        }
    }

    private String statusChip(String status) {
        StringOutput output = new StringOutput();
        templates.render("components/status-chip.jte", Map.of("status", status), output);
        return output.toString();
    }
}
