package io.vippanel.jobs;

import io.vippanel.support.Fixture;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.context.ApplicationContext;

/**
 * Jobs as a test sees them: queued outside any request, as the panel's own services queue them, read as the given
 * user (normally the fixture's superadmin, who sees every job) in that user's tenant scope, and waited for with a
 * deadline: {@code patience} unless a wait names its own.
 */
public final class JobWatch {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Jobs jobs;
    private final SystemTransactions system;
    private final Actor reader;
    private final Duration patience;

    public JobWatch(ApplicationContext context, Actor reader, Duration patience) {
        this.jobs = context.getBean(Jobs.class);
        this.system = context.getBean(SystemTransactions.class);
        this.reader = reader;
        this.patience = patience;
    }

    /** Queues the job in a transaction of its own, outside any request. */
    public Job enqueue(NewJob job) {
        return system.call(() -> jobs.enqueue(job));
    }

    /** The job as it stands now. */
    public Job current(String id) {
        return Fixture.as(reader, () -> jobs.get(reader, id));
    }

    /** The job's log so far, oldest line first. */
    public List<JobLogLine> log(String id) {
        return Fixture.as(reader, () -> jobs.log(reader, id, 0));
    }

    /** The texts of the job's log lines so far. */
    public List<String> lines(String id) {
        return log(id).stream().map(JobLogLine::line).toList();
    }

    /** Waits until the job meets {@code condition} and returns it; fails with the job and its log after {@code timeout}. */
    public Job await(String id, Predicate<Job> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Job job = current(id);
        while (!condition.test(job)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + id + " did not reach the expected state in " + timeout + ": " + job + "\nlog: " + lines(id));
            }
            TestJobTypes.sleep(POLL.toMillis());
            job = current(id);
        }
        return job;
    }

    public Job await(String id, Predicate<Job> condition) {
        return await(id, condition, patience);
    }

    /** Waits until the job has ended (succeeded, failed or cancelled) and returns it. */
    public Job awaitFinal(String id) {
        return await(id, job -> job.status().isFinal(), patience);
    }
}
