package io.vippanel.jobs.internal;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobCancelled;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobLogLevel;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobType;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.InvalidInput;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Runs one job for db-scheduler, which has already claimed it for this worker: records the attempt, calls the
 * job type, and settles the record (succeeded, failed, cancelled, or queued again for a retry with backoff).
 * Each step is its own short transaction, so the job's progress is visible while it runs.
 */
class JobExecutor {

    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

    private final Map<String, JobType> types;
    private final JobRepository repository;
    private final JobEvents events;
    private final SystemTransactions tx;
    private final ApplicationEventPublisher publisher;
    private final RunningJobs running;
    private final Clock clock;
    private final String worker;
    private final RandomGenerator random = RandomGenerator.getDefault();

    JobExecutor(Map<String, JobType> types, JobRepository repository, JobEvents events, SystemTransactions tx,
                ApplicationEventPublisher publisher, RunningJobs running, Clock clock, String worker) {
        this.types = types;
        this.repository = repository;
        this.events = events;
        this.tx = tx;
        this.publisher = publisher;
        this.running = running;
        this.clock = clock;
        this.worker = worker;
    }

    Optional<io.vippanel.jobs.RetryPolicy> retryPolicy(String type) {
        return Optional.ofNullable(types.get(type)).map(JobType::retryPolicy);
    }

    private record Start(Job job, int attempt, @Nullable String refusal, JobStatus refusalStatus, boolean runnerLost) {
    }

    CompletionHandler<String> execute(String jobId) {
        Optional<Start> claimed = tx.call(() -> begin(jobId));
        if (claimed.isEmpty()) {
            return remove();
        }
        Start start = claimed.get();
        if (start.refusal() != null) {
            return remove();
        }
        Job job = start.job();
        AtomicBoolean cancelFlag = running.register(jobId);
        RunContext context = new RunContext(job, start.attempt(), cancelFlag);
        try {
            JobType type = types.get(job.type());
            if (type == null) {
                throw JobFailure.permanent("This worker has no handler for job type " + job.type() + ".");
            }
            JobOutcome outcome = type.run(context);
            if (context.cancelRequested()) {
                throw new JobCancelled();
            }
            finish(context, JobStatus.SUCCEEDED, JobLogLevel.INFO, outcome.summary(), outcome.result());
            return remove();
        } catch (JobCancelled e) {
            finish(context, JobStatus.CANCELLED, JobLogLevel.WARN, "Cancelled while running.", Map.of());
            return remove();
        } catch (JobFailure failure) {
            if (context.cancelRequested()) {
                finish(context, JobStatus.CANCELLED, JobLogLevel.WARN, "Cancelled while running.", failure.result());
                return remove();
            }
            return failed(context, failure.getMessage(), failure.retryable(), failure.result());
        } catch (InvalidInput e) {
            return failed(context, e.getMessage(), false, Map.of());
        } catch (RuntimeException e) {
            log.warn("job {} attempt {} failed unexpectedly", jobId, start.attempt(), e);
            return failed(context, "Unexpected error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), true, Map.of());
        } finally {
            running.unregister(jobId);
        }
    }

    /** Locks the record and decides whether this pick-up runs, in one transaction. */
    private Optional<Start> begin(String jobId) {
        Optional<Job> found = repository.lock(jobId);
        if (found.isEmpty()) {
            log.warn("scheduled job {} has no record; dropping it", jobId);
            return Optional.empty();
        }
        Job job = found.get();
        Instant now = clock.instant();
        if (job.status().isFinal()) {
            return Optional.of(new Start(job, job.attempts(), "already " + job.status().key(), job.status(), false));
        }
        if (job.cancelRequested()) {
            repository.finish(jobId, JobStatus.CANCELLED, "Cancelled before it ran.", Map.of(), now);
            events.status(job, JobStatus.CANCELLED, job.attempts(), "Cancelled before it ran.");
            return Optional.of(new Start(job, job.attempts(), "cancelled", JobStatus.CANCELLED, false));
        }
        boolean runnerLost = job.status() == JobStatus.RUNNING;
        if (runnerLost && job.attempts() >= job.maxAttempts()) {
            String reason = "The worker stopped during the last allowed attempt (" + job.attempts() + " of "
                    + job.maxAttempts() + "); giving up.";
            appendLine(job, JobLogLevel.ERROR, reason, now);
            repository.finish(jobId, JobStatus.FAILED, reason, Map.of(), now);
            events.status(job, JobStatus.FAILED, job.attempts(), reason);
            return Optional.of(new Start(job, job.attempts(), reason, JobStatus.FAILED, true));
        }
        int attempt = job.attempts() + 1;
        if (runnerLost) {
            appendLine(job, JobLogLevel.WARN, "The worker running attempt " + job.attempts() + " stopped without finishing; starting again.", now);
        }
        appendLine(job, JobLogLevel.INFO, "Attempt " + attempt + " of " + job.maxAttempts() + " started on " + worker + ".", now);
        repository.markRunning(jobId, attempt, worker, now);
        events.status(job, JobStatus.RUNNING, attempt, "Running (attempt " + attempt + " of " + job.maxAttempts() + ").");
        return Optional.of(new Start(job, attempt, null, JobStatus.RUNNING, runnerLost));
    }

    private CompletionHandler<String> failed(RunContext context, String reason, boolean retryable, Map<String, ?> result) {
        Job job = context.job();
        String shown = context.masked(reason);
        if (retryable && context.attempt() < job.maxAttempts()) {
            JobType type = types.get(job.type());
            Instant next = clock.instant().plus(type == null ? java.time.Duration.ZERO
                    : type.retryPolicy().delayBefore(context.attempt() + 1, random));
            context.warn("Attempt " + context.attempt() + " failed: " + shown + " Retrying at " + next + ".");
            tx.run(() -> {
                repository.markQueuedForRetry(job.id(), shown, next);
                events.status(job, JobStatus.QUEUED, context.attempt(), "Retrying after: " + shown);
            });
            return (ExecutionComplete complete, ExecutionOperations<String> operations) -> operations.reschedule(complete, next);
        }
        String finalReason = retryable && job.maxAttempts() > 1
                ? "Failed after " + context.attempt() + " attempts: " + shown
                : shown;
        finish(context, JobStatus.FAILED, JobLogLevel.ERROR, finalReason, result);
        return remove();
    }

    /** Logs the closing line and settles the record in one transaction. */
    private void finish(RunContext context, JobStatus status, JobLogLevel level, String summary, Map<String, ?> result) {
        Job job = context.job();
        String shown = context.masked(summary);
        Map<String, ?> storedResult = context.masked(result);
        tx.run(() -> {
            Instant now = clock.instant();
            appendLine(job, level, shown, now);
            repository.finish(job.id(), status, shown, storedResult, now);
            events.status(job, status, context.attempt(), shown);
        });
    }

    private JobLogLine appendLine(Job job, JobLogLevel level, String line, Instant at) {
        JobLogLine stored = repository.appendLog(job, level, line, at);
        events.line(job, stored);
        return stored;
    }

    private static CompletionHandler<String> remove() {
        return (ExecutionComplete complete, ExecutionOperations<String> operations) -> operations.remove();
    }

    /** The {@link JobContext} handed to a job type for one attempt. */
    private final class RunContext implements JobContext {

        private final Job job;
        private final int attempt;
        private final AtomicBoolean cancelFlag;
        private final List<String> secrets = new CopyOnWriteArrayList<>();

        RunContext(Job job, int attempt, AtomicBoolean cancelFlag) {
            this.job = job;
            this.attempt = attempt;
            this.cancelFlag = cancelFlag;
        }

        @Override
        public Job job() {
            return job;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void log(JobLogLevel level, String line) {
            String shown = masked(line);
            tx.run(() -> appendLine(job, level, shown, clock.instant()));
        }

        @Override
        public void redact(String secret) {
            if (!secret.isEmpty()) {
                secrets.add(secret);
            }
        }

        @Override
        public boolean cancelRequested() {
            return cancelFlag.get();
        }

        @Override
        public void audit(String action, AuditEvent.Outcome outcome, Map<String, ?> details) {
            tx.run(() -> publisher.publishEvent(new AuditEvent(job.tenantId(), null, "system (job " + job.id() + ")",
                    action, job.targetType() == null ? "job" : job.targetType(),
                    job.targetId() == null ? job.id() : job.targetId(), outcome, masked(details))));
        }

        String masked(String text) {
            String result = text;
            for (String secret : secrets) {
                result = result.replace(secret, "********");
            }
            return result;
        }

        Map<String, ?> masked(Map<String, ?> values) {
            if (secrets.isEmpty() || values.isEmpty()) {
                return values;
            }
            String json = JobRepository.JSON.writeValueAsString(values);
            for (String secret : secrets) {
                String encoded = JobRepository.JSON.writeValueAsString(secret);
                json = json.replace(encoded.substring(1, encoded.length() - 1), "********");
            }
            return JobRepository.JSON.readValue(json, Map.class);
        }
    }
}
