package io.vippanel.platform.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open browser stream whose work runs in order, on one sender thread at a time, so a slow browser delays only
 * itself. A failed send marks the channel broken and later work is dropped; {@link #end()} completes the stream
 * normally (the browser reconnects), which also avoids Spring MVC's async timeout answer on an event stream.
 */
public final class SseChannel {

    private static final Logger log = LoggerFactory.getLogger(SseChannel.class);

    private final SseEmitter emitter;
    private final Executor senders;
    private final Consumer<SseChannel> onClosed;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean broken;

    /**
     * @param timeout  after this the stream ends and the browser reconnects, which re-checks the session
     * @param onClosed told once the stream is over (completed, timed out or failed), to forget it
     */
    public SseChannel(Duration timeout, Executor senders, Consumer<SseChannel> onClosed) {
        this.emitter = new SseEmitter(timeout.toMillis());
        this.senders = senders;
        this.onClosed = onClosed;
        emitter.onCompletion(() -> onClosed.accept(this));
        emitter.onTimeout(this::end);
        emitter.onError(error -> onClosed.accept(this));
        enqueue(() -> send(SseEmitter.event().comment("connected")));
    }

    public SseEmitter emitter() {
        return emitter;
    }

    /** Runs {@code work} after the work queued before it; nothing once the stream is broken. */
    public void enqueue(Runnable work) {
        if (broken) {
            return;
        }
        pending.add(work);
        if (draining.compareAndSet(false, true)) {
            senders.execute(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable next;
            while ((next = pending.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    log.debug("stream work failed", e);
                }
            }
            draining.set(false);
        } while (!pending.isEmpty() && draining.compareAndSet(false, true));
    }

    /** Whether the browser has gone or the stream has ended: later work is dropped. */
    public boolean broken() {
        return broken;
    }

    public void ping() {
        enqueue(() -> send(SseEmitter.event().comment("keep-alive")));
    }

    /** Sends at once (call it from queued work); a browser that has gone marks the channel broken. */
    public void send(SseEmitter.SseEventBuilder event) {
        if (broken) {
            return;
        }
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            broken = true;
            onClosed.accept(this);
        }
    }

    /** Ends the stream normally; the browser reconnects. */
    public void end() {
        broken = true;
        onClosed.accept(this);
        emitter.complete();
    }
}
