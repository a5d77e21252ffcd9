package io.vippanel.jobs.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobFilter;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.internal.JobRepository;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/jobs}: the background jobs of the tenants the token's owner may see, their logs, and cancelling
 * or re-running them, with the same rules as the pages (a job outside the caller's subtree is a 404).
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Background work (server provisioning, deployments, certificates...) and its log.")
class JobsApi {

    static final int MAX_LIMIT = 500;
    private static final String STATUSES = Arrays.stream(JobStatus.values()).map(JobStatus::key).collect(Collectors.joining(", "));

    @Schema(name = "Job", description = "One run of background work. Timestamps are ISO-8601 in UTC.")
    record JobJson(
            @Schema(example = "job_k3j9x2m4p7q8r5s6t2v3") String id,
            String tenantId,
            String tenantName,
            @Schema(description = "What kind of work, e.g. servers.provision", example = "servers.provision") String type,
            String title,
            @Schema(description = "The kind of thing the job works on, e.g. server") @Nullable String targetType,
            @Schema(description = "The id of the thing the job works on") @Nullable String targetId,
            @Schema(allowableValues = {"queued", "running", "succeeded", "failed", "cancelled"}) String status,
            @Schema(description = "Attempts made so far; retries and pick-ups after a lost worker count") int attempts,
            int maxAttempts,
            @Schema(description = "The job's input, as queued (never secrets)") Map<String, Object> params,
            @Schema(description = "What the run found or produced; empty until it ends") Map<String, Object> result,
            @Schema(description = "One line on how it stands or how it ended") @Nullable String summary,
            @Schema(description = "A cancel was requested; a running job stops at its next checkpoint") boolean cancelRequested,
            @Schema(description = "Whether POST .../cancel would be accepted now") boolean cancellable,
            @Schema(description = "Whether POST .../retry would be accepted now (failed or cancelled jobs)") boolean retryable,
            @Schema(description = "The job this one re-runs, if any") @Nullable String rerunOf,
            @Schema(description = "The user who started it; null for the panel's own work") @Nullable String createdBy,
            @Nullable String createdByEmail,
            @Schema(description = "The worker process that ran the last attempt; shown to platform staff only") @Nullable String worker,
            Instant queuedAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Schema(description = "When the next attempt is due, while waiting to retry") @Nullable Instant nextAttemptAt) {

        static JobJson of(Job job, boolean showWorker) {
            return new JobJson(job.id(), job.tenantId(), job.tenantName(), job.type(), job.title(), job.targetType(), job.targetId(),
                    job.status().key(), job.attempts(), job.maxAttempts(), JobRepository.toMap(job.params()), JobRepository.toMap(job.result()),
                    job.summary(), job.cancelRequested(), job.cancellable(), job.rerunnable(), job.rerunOf(), job.createdBy(),
                    job.createdByEmail(), showWorker ? job.worker() : null, job.queuedAt(), job.startedAt(), job.finishedAt(),
                    job.nextAttemptAt());
        }
    }

    @Schema(name = "JobPage", description = "A page of jobs, newest first, and how many match in all.")
    record JobPage(List<JobJson> items, long total, int limit, int offset) {
    }

    @Schema(name = "JobLogLine")
    record LogLineJson(@Schema(description = "Orders the lines; pass the last one seen as 'after' to read on") long seq,
                       Instant at,
                       @Schema(allowableValues = {"debug", "info", "warn", "error"}) String level,
                       String line) {
        static LogLineJson of(JobLogLine line) {
            return new LogLineJson(line.seq(), line.at(), line.level().key(), line.line());
        }
    }

    @Schema(name = "JobLog", description = "Log lines after a cursor, oldest first. Read on with after=next; "
            + "once the job's status is final and 'more' is false, the log is complete.")
    record LogPage(String jobId,
                   @Schema(description = "The job's status when the lines were read",
                           allowableValues = {"queued", "running", "succeeded", "failed", "cancelled"}) String status,
                   List<LogLineJson> lines,
                   @Schema(description = "The cursor for the next request: the seq of the last line here, or 'after' when there was none") long next,
                   @Schema(description = "The page was full: more lines are there now") boolean more) {
    }

    private final Jobs jobs;

    JobsApi(Jobs jobs) {
        this.jobs = jobs;
    }

    @GetMapping
    @Operation(summary = "List jobs", description = "Jobs of the tenants the caller may see, newest first.")
    JobPage list(@AuthenticationPrincipal Actor actor,
                 @Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(required = false) @Nullable String status,
                 @Parameter(description = "A job type, e.g. servers.provision") @RequestParam(required = false) @Nullable String type,
                 @Parameter(description = "A target id (e.g. a server's) or a job id") @RequestParam(required = false) @Nullable String target,
                 @Parameter(description = "Queued at or after: a date (2026-11-25, UTC) or an ISO-8601 time")
                 @RequestParam(required = false) @Nullable String from,
                 @Parameter(description = "Queued before: an ISO-8601 time, or a date (that whole day included)")
                 @RequestParam(required = false) @Nullable String to,
                 @Parameter(description = "1 to " + MAX_LIMIT) @RequestParam(defaultValue = "50") int limit,
                 @RequestParam(defaultValue = "0") int offset) {
        Validation.requirePage(limit, offset, MAX_LIMIT);
        JobFilter filter = filter(status, type, target, from, to);
        List<JobJson> items = jobs.list(actor, filter, limit, offset).stream().map(job -> JobJson.of(job, showsWorkers(actor))).toList();
        return new JobPage(items, jobs.count(actor, filter), limit, offset);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a job")
    JobJson get(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return JobJson.of(jobs.get(actor, id), showsWorkers(actor));
    }

    @GetMapping("/{id}/log")
    @Operation(summary = "Read a job's log", description = "Up to " + Jobs.LOG_PAGE + " lines after the cursor, oldest first.")
    LogPage log(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                @Parameter(description = "Return lines after this seq; 0 (the default) for the start")
                @RequestParam(defaultValue = "0") long after) {
        if (after < 0) {
            throw new InvalidInput("after", "Use 0 or the seq of a line already read.");
        }
        // The status is read first: if it is final then, every line of the run is already stored and in this read.
        Job job = jobs.get(actor, id);
        List<JobLogLine> lines = jobs.log(actor, id, after);
        long next = lines.isEmpty() ? after : lines.getLast().seq();
        return new LogPage(job.id(), job.status().key(), lines.stream().map(LogLineJson::of).toList(), next,
                lines.size() == Jobs.LOG_PAGE);
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once; a running one is asked to stop "
            + "and ends as cancelled shortly after. Answers 202 with the job as it stands; a finished job cannot be cancelled (422).")
    ResponseEntity<JobJson> cancel(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(JobJson.of(jobs.cancel(actor, id), showsWorkers(actor)));
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Run a failed or cancelled job again", description = "Queues a new job with the same type, target "
            + "and parameters; answers 201 with the new job and its address in Location.")
    ResponseEntity<JobJson> retry(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        Job created = jobs.rerun(actor, id);
        return ResponseEntity.created(URI.create("/api/v1/jobs/" + created.id())).body(JobJson.of(created, showsWorkers(actor)));
    }

    private static JobFilter filter(@Nullable String status, @Nullable String type, @Nullable String target,
                                    @Nullable String from, @Nullable String to) {
        Validation validation = new Validation();
        String statusText = validation.optionalFilter("status", status, 20);
        JobStatus wanted = statusText == null ? null : Arrays.stream(JobStatus.values())
                .filter(candidate -> candidate.key().equals(statusText.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
        if (statusText != null && wanted == null) {
            validation.reject("status", "Use one of " + STATUSES + ".");
        }
        String typeText = validation.optionalFilter("type", type, 100);
        String targetText = validation.optionalFilter("target", target, 100);
        Instant fromInstant = validation.optionalInstant("from", from, false);
        Instant toInstant = validation.optionalInstant("to", to, true);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            validation.reject("to", "Must be later than 'from'.");
        }
        validation.throwIfInvalid();
        return new JobFilter(wanted, typeText, targetText, fromInstant, toInstant);
    }

    /** Worker names are host names and process ids of the platform: staff see them, tenants do not need to. */
    private static boolean showsWorkers(Actor actor) {
        return AccessPolicy.allows(actor, Permission.SYSTEM_CHECK);
    }
}
