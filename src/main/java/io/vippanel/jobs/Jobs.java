package io.vippanel.jobs;

import io.vippanel.jobs.internal.JobEvents;
import io.vippanel.jobs.internal.JobRepository;
import io.vippanel.jobs.internal.JobScheduling;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The jobs module's front door: other modules enqueue work in their own transaction; users list, read, cancel
 * and re-run jobs within the tenants they may see.
 */
@Service
public class Jobs {

    /** A page of log lines; clients that want more ask again after the last seq. */
    public static final int LOG_PAGE = 1_000;

    private final JobRepository repository;
    private final JobScheduling scheduling;
    private final JobEvents events;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    public Jobs(JobRepository repository, JobScheduling scheduling, JobEvents events,
                ApplicationEventPublisher publisher, Clock clock) {
        this.repository = repository;
        this.scheduling = scheduling;
        this.events = events;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Records a job and queues it, inside the caller's transaction: if that transaction rolls back there is no
     * job; once it commits, the job is durable and a worker will run it.
     */
    @Transactional
    public Job enqueue(NewJob job) {
        return enqueue(job, null);
    }

    private Job enqueue(NewJob job, @Nullable String rerunOf) {
        int maxAttempts = scheduling.retryPolicy(job.type())
                .orElseThrow(() -> new InvalidInput("type", "there is no job type " + job.type()))
                .maxAttempts();
        String id = Ids.newId("job");
        Instant now = clock.instant();
        repository.insert(id, job, maxAttempts, rerunOf, now);
        scheduling.schedule(id, now);
        Job created = repository.find(id).orElseThrow(() -> new IllegalStateException("job " + id + " is not visible in this scope"));
        events.status(created, JobStatus.QUEUED, 0, "Queued.");
        events.wakeUp();
        return created;
    }

    @Transactional(readOnly = true)
    public Job get(Actor actor, String jobId) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        return visible(actor, jobId);
    }

    /**
     * Where a job stands, for other modules that keep a status of their own beside their jobs (a certificate
     * "issuing" whose job was cancelled). In the caller's transaction scope; empty when the job is not visible there.
     */
    @Transactional(readOnly = true)
    public Optional<JobStatus> statusOf(String jobId) {
        return repository.find(jobId).map(Job::status);
    }

    @Transactional(readOnly = true)
    public List<Job> list(Actor actor, JobFilter filter, int limit, int offset) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        return repository.list(actor.actingTenantPath(), filter, limit, offset);
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, JobFilter filter) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        return repository.count(actor.actingTenantPath(), filter);
    }

    @Transactional(readOnly = true)
    public List<String> types(Actor actor) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        return repository.types(actor.actingTenantPath());
    }

    /** Log lines after {@code afterSeq}, oldest first, at most {@link #LOG_PAGE}. */
    @Transactional(readOnly = true)
    public List<JobLogLine> log(Actor actor, String jobId, long afterSeq) {
        visible(actor, jobId);
        return logWithin(actor.actingTenantPath(), jobId, afterSeq);
    }

    /**
     * Log lines of a job inside the tenant subtree {@code scopePath} (a live stream keeps its user's scope, not
     * the user); none when the job lies outside it.
     */
    @Transactional(readOnly = true)
    public List<JobLogLine> logWithin(String scopePath, String jobId, long afterSeq) {
        return repository.log(scopePath, jobId, afterSeq, LOG_PAGE);
    }

    /**
     * Cancels a queued job at once; asks the worker running a running job to stop it (the worker ends its process
     * group and marks it cancelled).
     */
    @Transactional
    public Job cancel(Actor actor, String jobId) {
        AccessPolicy.require(actor, Permission.JOB_MANAGE);
        Job job = visible(actor, jobId);
        AccessPolicy.requireOn(actor, Permission.JOB_MANAGE, job.tenantPath());
        if (job.status().isFinal()) {
            throw new InvalidInput("status", "the job has already " + job.status().key() + "; there is nothing to cancel");
        }
        Instant now = clock.instant();
        if (job.status() == JobStatus.QUEUED && scheduling.unschedule(jobId) && repository.cancelQueued(jobId, now)) {
            events.status(job, JobStatus.CANCELLED, job.attempts(), "Cancelled before it ran.");
        } else {
            // Running, or claimed by a worker a moment ago: the worker stops it, or skips it when it starts.
            repository.requestCancel(jobId);
            events.cancel(jobId);
        }
        audit(actor, job, "job.cancel");
        return repository.find(jobId).orElseThrow();
    }

    /** Starts a fresh run of a failed or cancelled job, with the same type, target and parameters. */
    @Transactional
    public Job rerun(Actor actor, String jobId) {
        AccessPolicy.require(actor, Permission.JOB_MANAGE);
        Job job = visible(actor, jobId);
        AccessPolicy.requireOn(actor, Permission.JOB_MANAGE, job.tenantPath());
        if (!job.rerunnable()) {
            throw new InvalidInput("status", "only a failed or cancelled job can be run again; this one is " + job.status().key());
        }
        Map<String, Object> params = JobRepository.toMap(job.params());
        Job created = enqueue(new NewJob(job.tenantId(), job.type(), job.title(), job.targetType(), job.targetId(), params, actor), job.id());
        audit(actor, created, "job.rerun");
        return created;
    }

    private Job visible(Actor actor, String jobId) {
        AccessPolicy.require(actor, Permission.JOB_VIEW);
        if (!Ids.looksLike("job", jobId)) {
            // Junk never reaches the database (a NUL would make PostgreSQL fail) and is not echoed back at length.
            throw new NotFound("job", jobId.length() > 40 ? jobId.substring(0, 40) + "…" : jobId);
        }
        return repository.find(jobId)
                .filter(job -> job.tenantPath().startsWith(actor.actingTenantPath()))
                .orElseThrow(() -> new NotFound("job", jobId));
    }

    private void audit(Actor actor, Job job, String action) {
        publisher.publishEvent(AuditEvent.success(job.tenantId(), actor.userId(), actor.email(), action, "job", job.id(),
                Map.of("type", job.type(), "title", job.title())));
    }
}
