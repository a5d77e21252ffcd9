package io.vippanel.jobs.internal;

import io.vippanel.jobs.RecurringWork;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Keeps the job history bounded: finished jobs older than {@code vip.jobs.retention} go, with their logs. */
@Component
class JobPruning implements RecurringWork {

    private static final Logger log = LoggerFactory.getLogger(JobPruning.class);

    private final JobRepository repository;
    private final SystemTransactions tx;
    private final Clock clock;
    private final Duration retention;

    JobPruning(JobRepository repository, SystemTransactions tx, Clock clock, VipProperties properties) {
        this.repository = repository;
        this.tx = tx;
        this.clock = clock;
        this.retention = properties.jobs().retention();
    }

    @Override
    public String name() {
        return "jobs.prune";
    }

    @Override
    public Duration every() {
        return Duration.ofHours(6);
    }

    @Override
    public void run() {
        int pruned = tx.call(() -> repository.pruneFinishedBefore(clock.instant().minus(retention)));
        if (pruned > 0) {
            log.info("pruned {} finished job(s) older than {}", pruned, retention);
        }
    }
}
