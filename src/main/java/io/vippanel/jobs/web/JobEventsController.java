package io.vippanel.jobs.web;

import io.vippanel.jobs.Jobs;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for signed-in users: {@code /events/jobs} carries status changes of every job they may
 * see, {@code /events/jobs/{id}} one job's status and log. A reconnecting browser sends {@code Last-Event-ID}
 * (the last log line it got) and receives the lines it missed; a page that already shows lines passes
 * {@code after}.
 */
@RestController
class JobEventsController {

    private final Jobs jobs;
    private final JobStreams streams;

    JobEventsController(Jobs jobs, JobStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    @GetMapping(path = JobsController.EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter overview(@AuthenticationPrincipal Actor actor) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        return streams.openOverview(actor.actingTenantPath());
    }

    @GetMapping(path = JobsController.EVENTS + "/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter job(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                   @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
                   @RequestParam(name = "after", required = false) @Nullable String after) {
        jobs.get(actor, id);
        long resumeAfter = Math.max(sequence(lastEventId), sequence(after));
        return streams.openJob(actor.actingTenantPath(), id, resumeAfter, () -> jobs.get(actor, id));
    }

    /** A log line's seq; anything else (absent, garbled, negative) means "from the start". */
    private static long sequence(@Nullable String value) {
        if (value == null || value.isBlank() || value.length() > 19) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
