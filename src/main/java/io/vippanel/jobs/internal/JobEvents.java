package io.vippanel.jobs.internal;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobStatus;
import io.vippanel.platform.LiveEvents;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The live events of the jobs module. Progress ({@value #PROGRESS}) carries the job's tenant path so that each
 * API node forwards it only to users who may see that tenant; workers hear cancellations and wake-ups.
 */
@Component
public class JobEvents {

    public static final String PROGRESS = "jobs.progress";
    public static final String CANCEL = "jobs.cancel";
    public static final String WAKE_UP = "jobs.wakeup";
    /** A NOTIFY payload must stay small; longer lines are re-read from the database by the receiver. */
    public static final int MAX_INLINE_LINE = 1_500;

    private final LiveEvents live;

    public JobEvents(LiveEvents live) {
        this.live = live;
    }

    public LiveEvents live() {
        return live;
    }

    public void status(Job job, JobStatus status, int attempts, String summary) {
        live.publish(PROGRESS, Map.of("kind", "status", "jobId", job.id(), "tenantPath", job.tenantPath(),
                "status", status.key(), "attempts", attempts, "summary", summary));
    }

    public void line(Job job, JobLogLine line) {
        Map<String, Object> event = new HashMap<>();
        event.put("kind", "log");
        event.put("jobId", job.id());
        event.put("tenantPath", job.tenantPath());
        event.put("seq", line.seq());
        event.put("at", line.at().toString());
        event.put("level", line.level().key());
        if (line.line().length() <= MAX_INLINE_LINE) {
            event.put("line", line.line());
        }
        live.publish(PROGRESS, event);
    }

    public void cancel(String jobId) {
        live.publish(CANCEL, Map.of("jobId", jobId));
    }

    public void wakeUp() {
        live.publish(WAKE_UP, Map.of());
    }
}
