package io.vippanel.jobs.internal;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * "Are the workers alive, and how fast do they pick up work?": does nothing but measure the time from queueing
 * to running. Operators start it from the jobs page; the pick-up benchmark queues it by the thousand.
 */
@Component
public class WorkerCheckJob implements JobType {

    public static final String NAME = "system.worker-check";

    private final Clock clock;

    public WorkerCheckJob(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return RetryPolicy.once();
    }

    @Override
    public JobOutcome run(JobContext context) {
        Duration pickup = Duration.between(context.job().queuedAt(), clock.instant());
        return new JobOutcome("A worker picked the job up " + pickup.toMillis() + " ms after it was queued.",
                Map.of("pickupMillis", pickup.toMillis()));
    }
}
