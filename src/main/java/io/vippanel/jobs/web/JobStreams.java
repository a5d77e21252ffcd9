package io.vippanel.jobs.web;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobLogLevel;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.internal.JobEvents;
import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.TenantScope;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Browsers watching jobs on this API node. Job progress arrives from any worker through {@link LiveEvents}; each
 * stream receives only the events of tenants its user may see, rendered as HTML fragments for htmx-ext-sse.
 * A job's log stream never skips or repeats a line: it sends only the next seq, and re-reads the database when
 * a line is missing (a dropped event, a line too long for the event, or a resumed stream's gap).
 */
@Component
public class JobStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStreams.class);

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Jobs jobs;
    private final TemplateEngine templates;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService keepAlive =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vip-sse-keepalive").factory());
    private final LiveEvents.Subscription subscription;
    /** Streams end after this and the browser reconnects (with Last-Event-ID), which re-checks the session. */
    private final Duration streamTimeout;
    private volatile boolean running;
    private volatile boolean stopped;

    public JobStreams(LiveEvents live, Jobs jobs, TemplateEngine templates, VipProperties properties) {
        this.jobs = jobs;
        this.templates = templates;
        this.streamTimeout = properties.jobs().streamTimeout();
        // Only processes that serve browsers listen and keep streams alive: a worker or a command-line task has no
        // streams to feed.
        if (properties.servesHttp() && !properties.isCli()) {
            this.subscription = live.subscribe(JobEvents.PROGRESS, this::onProgress);
            keepAlive.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
        } else {
            this.subscription = () -> { };
        }
    }

    /** Status changes of every job the user may see (job lists, the dashboard). */
    SseEmitter openOverview(String scopePath) {
        return open(new Stream(scopePath, null, 0));
    }

    /**
     * One job's status and log lines, starting after {@code afterSeq}. The stream begins with the lines the page
     * lacks and then the job's current status, read after the stream listens: a change made between rendering the
     * page (or losing the previous stream) and this moment would otherwise never reach the browser.
     */
    SseEmitter openJob(String scopePath, String jobId, long afterSeq, Supplier<Job> currentJob) {
        Stream stream = new Stream(scopePath, jobId, afterSeq);
        SseEmitter emitter = open(stream);
        stream.enqueue(stream::catchUp);
        stream.enqueue(() -> stream.sendStatus(TenantScope.callInSubtree(scopePath, currentJob)));
        return emitter;
    }

    int openStreams() {
        return streams.size();
    }

    private SseEmitter open(Stream stream) {
        if (stopped) {
            // Shutting down: end at once, and the browser reconnects to a node that is still up.
            stream.emitter.complete();
            return stream.emitter;
        }
        streams.add(stream);
        stream.emitter.onCompletion(() -> streams.remove(stream));
        stream.emitter.onTimeout(stream::end);
        stream.emitter.onError(error -> streams.remove(stream));
        stream.enqueue(() -> stream.send(SseEmitter.event().comment("connected")));
        return stream.emitter;
    }

    private void onProgress(JsonNode event) {
        String tenantPath = event.path("tenantPath").asString("");
        String jobId = event.path("jobId").asString("");
        for (Stream stream : streams) {
            if (tenantPath.startsWith(stream.scopePath) && (stream.jobId == null || stream.jobId.equals(jobId))) {
                stream.enqueue(() -> stream.deliver(event));
            }
        }
    }

    private void ping() {
        for (Stream stream : streams) {
            stream.enqueue(() -> stream.send(SseEmitter.event().comment("keep-alive")));
        }
    }

    String statusChip(String status) {
        StringOutput output = new StringOutput();
        templates.render("components/status-chip.jte", Map.of("status", status), output);
        return output.toString();
    }

    /** Summaries come from job output and hosts: they are escaped like every other fragment the page swaps in. */
    String summary(String summary) {
        StringOutput output = new StringOutput();
        templates.render("components/job-summary.jte", Map.of("summary", summary), output);
        return output.toString();
    }

    String logLine(JobLogLine line) {
        StringOutput output = new StringOutput();
        templates.render("components/job-log-line.jte", Map.of("line", line), output);
        return output.toString();
    }

    @Override
    public void start() {
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
        streams.forEach(Stream::end);
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
        streams.forEach(stream -> stream.emitter.complete());
        senders.shutdownNow();
    }

    /** One open browser stream; its work runs in order on one virtual thread at a time. */
    private final class Stream {

        final String scopePath;
        final @Nullable String jobId;
        final SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
        private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private long lastSeq;
        private volatile boolean broken;

        Stream(String scopePath, @Nullable String jobId, long afterSeq) {
            this.scopePath = scopePath;
            this.jobId = jobId;
            this.lastSeq = afterSeq;
        }

        void enqueue(Runnable work) {
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
                        log.debug("job stream work failed", e);
                    }
                }
                draining.set(false);
            } while (!pending.isEmpty() && draining.compareAndSet(false, true));
        }

        void deliver(JsonNode event) {
            String kind = event.path("kind").asString("");
            String id = event.path("jobId").asString("");
            if ("status".equals(kind)) {
                String chip = statusChip(event.path("status").asString("unknown"));
                send(SseEmitter.event().name("status-" + id).data(chip));
                send(SseEmitter.event().name("job-status").data(chip));
                if (jobId != null) {
                    send(SseEmitter.event().name("status").data(chip));
                    send(SseEmitter.event().name("summary").data(summary(event.path("summary").asString(""))));
                }
            } else if ("log".equals(kind) && jobId != null) {
                long seq = event.path("seq").asLong();
                if (seq <= lastSeq) {
                    return;
                }
                JsonNode text = event.get("line");
                if (seq == lastSeq + 1 && text != null) {
                    sendLine(new JobLogLine(seq, id, Instant.parse(event.path("at").asString()),
                            JobLogLevel.of(event.path("level").asString("info")), text.asString()));
                } else {
                    catchUp();
                }
            }
        }

        void sendStatus(Job job) {
            send(SseEmitter.event().name("status").data(statusChip(job.status().key())));
            send(SseEmitter.event().name("summary").data(summary(JobDisplay.summary(job))));
        }

        /** Sends every stored line after the last one sent, read within the user's scope. */
        void catchUp() {
            String job = jobId;
            if (job == null) {
                return;
            }
            List<JobLogLine> lines;
            do {
                long after = lastSeq;
                lines = TenantScope.callInSubtree(scopePath, () -> jobs.logWithin(scopePath, job, after));
                lines.forEach(this::sendLine);
            } while (lines.size() == Jobs.LOG_PAGE && !broken);
        }

        private void sendLine(JobLogLine line) {
            if (line.seq() <= lastSeq) {
                return;
            }
            send(SseEmitter.event().id(Long.toString(line.seq())).name("log").data(logLine(line)));
            lastSeq = line.seq();
        }

        /**
         * Ends the stream normally when its time is up; the browser reconnects with Last-Event-ID. Left open at the
         * timeout, Spring MVC answers the request with an AsyncRequestTimeoutException, which cannot be written to a
         * response that is already an event stream and leaves the request hanging (and shutdowns waiting for it).
         */
        void end() {
            broken = true;
            streams.remove(this);
            emitter.complete();
        }

        void send(SseEmitter.SseEventBuilder event) {
            if (broken) {
                return;
            }
            try {
                emitter.send(event);
            } catch (IOException | IllegalStateException e) {
                broken = true;
                streams.remove(this);
            }
        }
    }
}
