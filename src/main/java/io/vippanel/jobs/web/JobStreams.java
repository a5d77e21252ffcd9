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
import io.vippanel.platform.web.SseChannel;
import io.vippanel.platform.web.SseStreams;
import io.vippanel.tenancy.TenantScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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
public class JobStreams extends SseStreams<JobStreams.Stream> {

    private final Jobs jobs;
    private final TemplateEngine templates;

    public JobStreams(LiveEvents live, Jobs jobs, TemplateEngine templates, VipProperties properties) {
        super(live, JobEvents.PROGRESS, properties, "vip-sse");
        this.jobs = jobs;
        this.templates = templates;
    }

    /** Status changes of every job the user may see (job lists, the dashboard). */
    SseEmitter openOverview(String scopePath) {
        Stream stream = new Stream(newChannel(), scopePath, null, 0);
        return open(stream.channel, stream);
    }

    /**
     * One job's status and log lines, starting after {@code afterSeq}. The stream begins with the lines the page
     * lacks and then the job's current status, read after the stream listens: a change made between rendering the
     * page (or losing the previous stream) and this moment would otherwise never reach the browser.
     */
    SseEmitter openJob(String scopePath, String jobId, long afterSeq, Supplier<Job> currentJob) {
        Stream stream = new Stream(newChannel(), scopePath, jobId, afterSeq);
        SseEmitter emitter = open(stream.channel, stream);
        stream.channel.enqueue(stream::catchUp);
        stream.channel.enqueue(() -> stream.sendStatus(TenantScope.callInSubtree(scopePath, currentJob)));
        return emitter;
    }

    @Override
    protected void onEvent(JsonNode event) {
        String tenantPath = event.path("tenantPath").asString("");
        String jobId = event.path("jobId").asString("");
        for (Map.Entry<SseChannel, Stream> entry : streams()) {
            Stream stream = entry.getValue();
            if (tenantPath.startsWith(stream.scopePath) && (stream.jobId == null || stream.jobId.equals(jobId))) {
                entry.getKey().enqueue(() -> stream.deliver(event));
            }
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

    /** One open browser stream: whose it is, which job it follows (null: all), and the last log line it sent. */
    final class Stream {

        final SseChannel channel;
        final String scopePath;
        final @Nullable String jobId;
        private long lastSeq;

        Stream(SseChannel channel, String scopePath, @Nullable String jobId, long afterSeq) {
            this.channel = channel;
            this.scopePath = scopePath;
            this.jobId = jobId;
            this.lastSeq = afterSeq;
        }

        void deliver(JsonNode event) {
            String kind = event.path("kind").asString("");
            String id = event.path("jobId").asString("");
            if ("status".equals(kind)) {
                String chip = statusChip(event.path("status").asString("unknown"));
                channel.send(SseEmitter.event().name("status-" + id).data(chip));
                channel.send(SseEmitter.event().name("job-status").data(chip));
                if (jobId != null) {
                    channel.send(SseEmitter.event().name("status").data(chip));
                    channel.send(SseEmitter.event().name("summary").data(summary(event.path("summary").asString(""))));
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
            channel.send(SseEmitter.event().name("status").data(statusChip(job.status().key())));
            channel.send(SseEmitter.event().name("summary").data(summary(JobDisplay.summary(job))));
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
            } while (lines.size() == Jobs.LOG_PAGE && !channel.broken());
        }

        private void sendLine(JobLogLine line) {
            if (line.seq() <= lastSeq) {
                return;
            }
            channel.send(SseEmitter.event().id(Long.toString(line.seq())).name("log").data(logLine(line)));
            lastSeq = line.seq();
        }
    }
}
