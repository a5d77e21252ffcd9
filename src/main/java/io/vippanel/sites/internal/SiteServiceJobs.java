package io.vippanel.sites.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.internal.SiteServiceRepository.DatabaseRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The jobs that make a site's server hold what the panel lists for it: its {@code .env}, its databases, its cron
 * jobs and its workers. Each runs one idempotent playbook with the site's whole set, then records what the playbook
 * found (rows present, applied, active; removed rows deleted). When the last try fails, the rows waiting for it
 * are marked failed with the reason.
 */
final class SiteServiceJobs {

    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ofSeconds(20), Duration.ofMinutes(2));
    /** Values shorter than this are words like {@code true} or {@code local}; masking them would garble the log. */
    private static final int MASKED_VALUE_LENGTH = 6;

    private SiteServiceJobs() {
    }

    /** The site, which must exist on its server for any of these jobs. */
    static SiteRecord siteOnServer(SiteWork work, JobContext job) {
        SiteRecord site = work.site(job);
        if (site.status() != SiteStatus.READY && site.status() != SiteStatus.SUSPENDED) {
            throw JobFailure.permanent("The site is " + site.status().key() + "; it must be ready (or suspended) for this.");
        }
        return site;
    }

    /** Masks the environment's values in the job's log, on top of the whole text the playbook runner masks. */
    static void redactEnvironment(JobContext job, String environment) {
        if (environment.isEmpty()) {
            return;
        }
        DotEnv.parse(environment).values().values().stream().filter(value -> value.length() >= MASKED_VALUE_LENGTH).forEach(job::redact);
    }

    /** Runs {@code onLastFailure} when this failure ends the job for good, then lets it end the job. */
    static JobFailure failing(JobContext job, JobFailure failure, Runnable onLastFailure) {
        if (!failure.retryable() || job.attempt() >= job.job().maxAttempts()) {
            onLastFailure.run();
        }
        return failure;
    }

    static String text(@Nullable Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    /** Writes the site's {@code .env} (site-env.yml), and with {@code apply = reload} reloads its processes. */
    @Component
    static final class EnvironmentJob implements JobType {

        private final SiteWork work;

        EnvironmentJob(SiteWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return SiteJobTypes.ENVIRONMENT;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = siteOnServer(work, job);
            boolean reload = job.job().params().path("apply").asString("write").equals("reload");
            String environment = work.secrets().environment(site);
            redactEnvironment(job, environment);
            Map<String, @Nullable Object> vars = new LinkedHashMap<>();
            vars.put("site_env", environment);
            vars.put("env_reload", reload);
            PlaybookResult result = work.playbook(job, site, "site-env.yml", vars, Set.of("site_env"), TIMEOUT);
            boolean written = Boolean.parseBoolean(text(result.outputs().get("written")));
            work.announce(site);
            return new JobOutcome(written ? (reload ? "Environment written and reloaded" : "Environment written")
                    : "The server's environment file was already up to date", Map.of("written", written, "reload", reload));
        }
    }

    /** Creates, updates and drops the site's databases (site-databases.yml with the whole set), then records the result. */
    @Component
    static final class DatabasesJob implements JobType {

        private final SiteWork work;
        private final SiteServiceRepository repository;

        DatabasesJob(SiteWork work, SiteServiceRepository repository) {
            this.work = work;
            this.repository = repository;
        }

        @Override
        public String name() {
            return SiteJobTypes.DATABASES;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            return applyDatabases(work, repository, job, siteOnServer(work, job));
        }
    }

    /**
     * Makes the server hold the site's whole set of databases (site-databases.yml) and records what it reports: rows
     * present, removed rows deleted; on the last failed try the pending rows are marked failed.
     */
    static JobOutcome applyDatabases(SiteWork work, SiteServiceRepository repository, JobContext job, SiteRecord site) {
        List<DatabaseRow> rows = work.transactions().call(() -> repository.databases(site.id()));
        if (rows.isEmpty()) {
            return JobOutcome.of("The site has no databases to apply.");
        }
        List<Map<String, Object>> wanted = new ArrayList<>();
        Map<String, String> passwords = new LinkedHashMap<>();
        for (DatabaseRow row : rows) {
            Map<String, Object> database = new LinkedHashMap<>();
            database.put("name", row.name());
            database.put("user", row.username());
            if (row.status().equals("removing")) {
                database.put("state", "absent");
            } else {
                String password = work.secrets().open(SiteSecrets.DATABASE_PASSWORD, row.id(), row.sealedPassword());
                job.redact(password);
                passwords.put(row.username(), password);
                database.put("state", "present");
            }
            wanted.add(database);
        }
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("database_engine", rows.getFirst().engine());
        vars.put("site_databases", wanted);
        // A variable of its own: the runner masks every value of a secret variable, names and states included.
        vars.put("database_passwords", passwords);
        PlaybookResult result;
        try {
            result = work.playbook(job, site, "site-databases.yml", vars, Set.of("database_passwords"), TIMEOUT);
        } catch (JobFailure e) {
            throw failing(job, e, () -> {
                work.update(ignored -> rows.stream().filter(row -> row.status().equals("pending")).forEach(row ->
                        repository.setDatabaseStatus(row.id(), "failed", e.getMessage())));
                work.announce(site);
            });
        }
        Map<String, String> states = new LinkedHashMap<>();
        if (result.outputs().get("databases") instanceof Map<?, ?> reported) {
            reported.forEach((name, state) -> states.put(String.valueOf(name), String.valueOf(state)));
        }
        List<String> problems = new ArrayList<>();
        work.update(ignored -> {
            for (DatabaseRow row : rows) {
                String state = states.get(row.name());
                if (row.status().equals("removing")) {
                    if ("absent".equals(state)) {
                        repository.deleteDatabase(row.id());
                    } else {
                        problems.add(row.name() + " is still there");
                        repository.setDatabaseStatus(row.id(), "removing", "The server did not report it dropped.");
                    }
                } else if ("present".equals(state)) {
                    repository.setDatabaseStatus(row.id(), "present", null);
                } else {
                    problems.add(row.name() + " is missing");
                    repository.setDatabaseStatus(row.id(), "failed", "The server did not report it present.");
                }
            }
        });
        work.announce(site);
        if (!problems.isEmpty()) {
            throw JobFailure.permanent("The databases do not match after the run: " + String.join(", ", problems) + ".",
                    Map.of("databases", states));
        }
        return new JobOutcome("Databases applied: " + states.size(), Map.of("databases", states));
    }

    /** Writes the site's cron file with its whole set (site-cron.yml), then marks the rows applied or deletes them. */
    @Component
    static final class CronJob implements JobType {

        private final SiteWork work;
        private final SiteProcesses processes;

        CronJob(SiteWork work, SiteProcesses processes) {
            this.work = work;
            this.processes = processes;
        }

        @Override
        public String name() {
            return SiteJobTypes.CRON;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = siteOnServer(work, job);
            try {
                int applied = processes.applyCron(job, site);
                return new JobOutcome(applied + " cron jobs applied", Map.of("cronJobs", applied));
            } catch (JobFailure e) {
                throw failing(job, e, () -> processes.markPendingCronFailed(site));
            }
        }
    }

    /** Reads a cron job's last output, exit code and end time (site-cron-output.yml). */
    @Component
    static final class CronOutputJob implements JobType {

        private final SiteWork work;
        private final SiteServiceRepository repository;

        CronOutputJob(SiteWork work, SiteServiceRepository repository) {
            this.work = work;
            this.repository = repository;
        }

        @Override
        public String name() {
            return SiteJobTypes.CRON_OUTPUT;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = siteOnServer(work, job);
            String cronId = job.job().params().path("cronJob").asString("");
            if (work.transactions().call(() -> repository.cronJob(site.id(), cronId)).isEmpty()) {
                throw JobFailure.permanent("The cron job " + cronId + " no longer exists.");
            }
            Map<String, @Nullable Object> vars = new LinkedHashMap<>();
            vars.put("cron_id", cronId);
            PlaybookResult result = work.playbook(job, site, "site-cron-output.yml", vars, Set.of(), Duration.ofMinutes(5));
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("cronJob", cronId);
            outcome.put("output", text(result.outputs().get("output")));
            Object exitCode = result.outputs().get("exit_code");
            outcome.put("exitCode", exitCode == null || text(exitCode).isBlank() ? "" : exitCode);
            outcome.put("finishedAt", text(result.outputs().get("finished_at")));
            boolean ran = !text(outcome.get("finishedAt")).isBlank();
            return new JobOutcome(ran ? "Last run ended " + outcome.get("finishedAt") + " with exit code " + outcome.get("exitCode")
                    : "The cron job has not run yet", outcome);
        }
    }

    /** Runs the site's whole set of workers (site-workers.yml), optionally restarting one, and records their states. */
    @Component
    static final class WorkersJob implements JobType {

        private final SiteWork work;
        private final SiteProcesses processes;

        WorkersJob(SiteWork work, SiteProcesses processes) {
            this.work = work;
            this.processes = processes;
        }

        @Override
        public String name() {
            return SiteJobTypes.WORKERS;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = siteOnServer(work, job);
            String restart = job.job().params().path("restart").asString("");
            SiteProcesses.Applied applied;
            try {
                applied = processes.apply(job, site, restart);
            } catch (JobFailure e) {
                throw failing(job, e, () -> processes.markPendingFailed(site, e.getMessage()));
            }
            if (!applied.notActive().isEmpty()) {
                throw JobFailure.permanent("Not every worker runs: " + String.join(", ", applied.notActive()) + ".", applied.outcome());
            }
            if (site.status() == SiteStatus.SUSPENDED) {
                return new JobOutcome("The site is suspended: its " + applied.running() + " workers start when it is back",
                        applied.outcome());
            }
            return new JobOutcome(applied.running() + " workers running" + (applied.restarted() ? ", one restarted" : ""),
                    applied.outcome());
        }
    }
}
