package io.vippanel.servers.web;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.web.SseChannel;
import io.vippanel.servers.internal.ServerEvents;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Browsers watching servers on this API node. Status changes arrive from any worker through {@link LiveEvents};
 * each stream receives only those of tenants its user may see, as rendered status chips for htmx-ext-sse:
 * {@code status-<serverId>} for one server's chip, {@code server-status} for anything that lists servers.
 */
@Component
class ServerStreams implements SmartLifecycle {

    /** One open stream and the tenant subtree its user sees. */
    private record Watcher(String scopePath, SseChannel channel) {
    }

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final TemplateEngine templates;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService keepAlive =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vip-server-sse-keepalive").factory());
    private final LiveEvents.Subscription subscription;
    private final Duration streamTimeout;
    private volatile boolean running;
    private volatile boolean stopped;

    ServerStreams(LiveEvents live, TemplateEngine templates, VipProperties properties) {
        this.templates = templates;
        this.streamTimeout = properties.jobs().streamTimeout();
        // Only processes that serve browsers listen (see JobStreams).
        if (properties.servesHttp() && !properties.isCli()) {
            this.subscription = live.subscribe(ServerEvents.TOPIC, this::onStatus);
            keepAlive.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
        } else {
            this.subscription = () -> { };
        }
    }

    SseEmitter open(String scopePath) {
        Watcher[] self = new Watcher[1];
        SseChannel channel = new SseChannel(streamTimeout, senders, closed -> watchers.remove(self[0]));
        self[0] = new Watcher(scopePath, channel);
        if (stopped) {
            channel.end();
            return channel.emitter();
        }
        watchers.add(self[0]);
        return channel.emitter();
    }

    int openStreams() {
        return watchers.size();
    }

    private void onStatus(JsonNode event) {
        String tenantPath = event.path("tenantPath").asString("");
        String serverId = event.path("serverId").asString("");
        String status = event.path("status").asString("unknown");
        if (tenantPath.isEmpty() || serverId.isEmpty()) {
            return;
        }
        for (Watcher watcher : watchers) {
            if (tenantPath.startsWith(watcher.scopePath())) {
                SseChannel channel = watcher.channel();
                channel.enqueue(() -> {
                    String chip = statusChip(status);
                    channel.send(SseEmitter.event().name("status-" + serverId).data(chip));
                    channel.send(SseEmitter.event().name("server-status").data(chip));
                });
            }
        }
    }

    private void ping() {
        watchers.forEach(watcher -> watcher.channel().ping());
    }

    private String statusChip(String status) {
        StringOutput output = new StringOutput();
        templates.render("components/status-chip.jte", Map.of("status", status), output);
        return output.toString();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every open stream before the web server's graceful shutdown waits for active requests. */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        watchers.forEach(watcher -> watcher.channel().end());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }

    @PreDestroy
    void close() {
        subscription.close();
        keepAlive.shutdownNow();
        watchers.forEach(watcher -> watcher.channel().emitter().complete());
        senders.shutdownNow();
    }
}
