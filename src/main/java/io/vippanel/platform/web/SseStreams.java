package io.vippanel.platform.web;

import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * The browsers watching one {@link LiveEvents} topic on this API node: the open streams, their senders, keep-alive
 * pings and timeouts, and their end before a graceful shutdown. Subclasses decide what each stream receives.
 *
 * @param <S> what the subclass keeps per stream (whose tenant subtree it is, what it has sent)
 */
public abstract class SseStreams<S> implements SmartLifecycle {

    private final Map<SseChannel, S> streams = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService keepAlive;
    private final LiveEvents.Subscription subscription;
    /** Streams end after this and the browser reconnects (with Last-Event-ID), which re-checks the session. */
    private final Duration streamTimeout;
    private volatile boolean running;
    private volatile boolean stopped;

    protected SseStreams(LiveEvents live, String topic, VipProperties properties, String name) {
        this.streamTimeout = properties.jobs().streamTimeout();
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name + "-keepalive").factory());
        // Only processes that serve browsers listen and keep streams alive: a worker or a command-line task has no
        // streams to feed.
        if (properties.servesHttp() && !properties.isCli()) {
            this.subscription = live.subscribe(topic, this::onEvent);
            keepAlive.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
        } else {
            this.subscription = () -> { };
        }
    }

    /** Called for every event of the topic, on the subscriber's thread: queue work on the streams it concerns. */
    protected abstract void onEvent(JsonNode event);

    /** A new stream's channel; pass it to {@link #open} with what the subclass keeps for it. */
    protected final SseChannel newChannel() {
        return new SseChannel(streamTimeout, senders, streams::remove);
    }

    /** Starts sending to the stream; while shutting down it ends at once and the browser reconnects elsewhere. */
    protected final SseEmitter open(SseChannel channel, S stream) {
        if (stopped) {
            channel.end();
            return channel.emitter();
        }
        streams.put(channel, stream);
        return channel.emitter();
    }

    /** Every open stream with what the subclass keeps for it. */
    protected final Collection<Map.Entry<SseChannel, S>> streams() {
        return streams.entrySet();
    }

    public final int openStreams() {
        return streams.size();
    }

    private void ping() {
        streams.keySet().forEach(SseChannel::ping);
    }

    /** Also after a {@link #stop()}: a stopped context can be started again (Spring's test context cache pauses idle ones). */
    @Override
    public void start() {
        stopped = false;
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown waits for active requests: an open stream
     * is one, and would hold the shutdown for its whole timeout. Browsers reconnect (behind a balancer, to a node
     * that is up) with Last-Event-ID and miss nothing.
     */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        streams.keySet().forEach(SseChannel::end);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before (so: a higher phase than) the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }

    @PreDestroy
    void close() {
        subscription.close();
        keepAlive.shutdownNow();
        streams.keySet().forEach(channel -> channel.emitter().complete());
        senders.shutdownNow();
    }
}
