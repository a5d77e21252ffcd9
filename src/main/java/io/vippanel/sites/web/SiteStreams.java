package io.vippanel.sites.web;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.web.SseChannel;
import io.vippanel.platform.web.SseStreams;
import io.vippanel.sites.internal.SiteEvents;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Browsers watching sites on this API node. Changes arrive from any worker through {@link LiveEvents}; each stream
 * receives only those of tenants its user may see (and, for one site's page, only that site's), as rendered status
 * chips for htmx-ext-sse: {@code status-<siteId>} for one site's chip, {@code site-status} for anything that lists
 * sites.
 */
@Component
class SiteStreams extends SseStreams<SiteStreams.Watch> {

    /** What one stream watches: a tenant subtree, and within it one site or every site. */
    record Watch(String scopePath, @Nullable String siteId) {

        boolean sees(String tenantPath, String changedSite) {
            return tenantPath.startsWith(scopePath) && (siteId == null || siteId.equals(changedSite));
        }
    }

    private final TemplateEngine templates;

    SiteStreams(LiveEvents live, TemplateEngine templates, VipProperties properties) {
        super(live, SiteEvents.TOPIC, properties, "vip-site-sse");
        this.templates = templates;
    }

    SseEmitter open(String scopePath, @Nullable String siteId) {
        return open(newChannel(), new Watch(scopePath, siteId));
    }

    @Override
    protected void onEvent(JsonNode event) {
        String tenantPath = event.path("tenantPath").asString("");
        String siteId = event.path("siteId").asString("");
        String status = event.path("status").asString("unknown");
        if (tenantPath.isEmpty() || siteId.isEmpty()) {
            return;
        }
        for (Map.Entry<SseChannel, Watch> stream : streams()) {
            if (stream.getValue().sees(tenantPath, siteId)) {
                SseChannel channel = stream.getKey();
                channel.enqueue(() -> {
                    String chip = statusChip(status);
                    channel.send(SseEmitter.event().name("status-" + siteId).data(chip));
                    channel.send(SseEmitter.event().name("site-status").data(chip));
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
