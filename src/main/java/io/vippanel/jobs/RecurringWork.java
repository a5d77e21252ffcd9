package io.vippanel.jobs;

import java.time.Duration;

/**
 * Work that repeats on a fixed delay (certificate renewal sweeps, metric scrapes, backups, pruning), registered
 * as a Spring bean. However many workers run, each schedule has one row and so one owner per run.
 */
public interface RecurringWork {

    /** Stable name; the schedule's row is keyed by it. */
    String name();

    Duration every();

    /** Runs with the system tenant scope; it typically enqueues tenant jobs for the real work. */
    void run();
}
