package io.vippanel.sites.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploySource;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Creating, changing, suspending and deleting a site on its server: {@code site.yml} in the wanted state, then a check
 * from outside that the site answers (or no longer answers) as it should.
 */
final class SiteLifecycleJobs {

    static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ofSeconds(20), Duration.ofMinutes(2));
    static final String STEP_CHECK = "Check that the site answers.";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private SiteLifecycleJobs() {
    }

    /** Runs {@code site.yml} with the site's deploy key and the wanted state. */
    static PlaybookResult apply(SiteWork work, JobContext job, SiteRecord site, String state, List<Map<String, Object>> databases) {
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("site_state", state);
        vars.put("site_deploy_key", work.secrets().deployKey(site));
        vars.put("site_deploy_public_key", site.deployKeyPublic());
        vars.put("site_databases", databases);
        return work.playbook(job, site, "site.yml", vars, Set.of("site_deploy_key"), TIMEOUT);
    }

    /** Records what the playbook found out about the WAF on this server. */
    static void recordWaf(SiteWork work, SiteRecord site, PlaybookResult result) {
        if (result.outputs().get("waf") instanceof Map<?, ?> waf) {
            Boolean available = waf.get("available") instanceof Boolean value ? value : null;
            Object note = waf.get("note");
            work.update(repository -> repository.setWaf(site.id(), site.waf(), available,
                    note == null || note.toString().isBlank() ? null : note.toString()));
        }
    }

    /** The failed task of a playbook run (or the check), as the site's failed step. */
    static @Nullable String failedStep(JobFailure failure) {
        Object task = failure.result().get("failedTask");
        return task == null ? null : task.toString();
    }

    /** Whether the job will not run again after this failure. */
    static boolean lastTry(JobContext job, JobFailure failure, RetryPolicy policy) {
        return !failure.retryable() || job.attempt() >= policy.maxAttempts();
    }

    /** The step a failed run stopped at: the check, the playbook's failing task, or the step it was in. */
    static String failedAt(String step, JobFailure failure) {
        if (step.equals(STEP_CHECK)) {
            return STEP_CHECK;
        }
        String task = failedStep(failure);
        return task == null ? step : task;
    }

    /**
     * Whether the site answers with its own vhost rather than the server's default and without a server error; a
     * Node.js site nothing was deployed to yet has no app behind its proxy, so its 502 is the expected answer.
     */
    static boolean answersAsItself(SiteRecord site, SiteChecks.Comparison comparison) {
        int status = comparison.site().status();
        boolean noAppYet = site.type() == SiteType.NODEJS && site.currentRelease() == null && status == 502;
        return comparison.ownAnswer() && (status < 500 || noAppYet);
    }

    /**
     * Creates the site: user, folders, pool or service, vhost; then checks it answers, creates the database of a
     * WordPress it installs, and starts the first deployment.
     */
    @Component
    static final class CreateJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;
        private final SiteServiceRepository services;
        /** Looked up when needed: the queue needs the jobs module, which needs every job type, this one included. */
        private final ObjectProvider<DeploymentQueue> queue;

        CreateJob(SiteWork work, SiteChecks checks, SiteServiceRepository services, ObjectProvider<DeploymentQueue> queue) {
            this.work = work;
            this.checks = checks;
            this.services = services;
            this.queue = queue;
        }

        @Override
        public String name() {
            return SiteJobTypes.CREATE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            work.status(site, SiteStatus.CREATING, "Creating the site on " + site.serverName() + ".", null);
            String step = "site.yml";
            try {
                PlaybookResult result = apply(work, job, site, "present", List.of());
                recordWaf(work, site, result);
                step = STEP_CHECK;
                SiteChecks.Comparison check = checks.require(job, site, "answer with the site's own page",
                        comparison -> answersAsItself(site, comparison));
                Map<String, Object> outcome = new LinkedHashMap<>(result.outputs());
                if (site.deploySource() == DeploySource.WORDPRESS) {
                    step = "site-databases.yml";
                    job.info("Creating the WordPress database.");
                    outcome.putAll(SiteServiceJobs.applyDatabases(work, services, job, site).result());
                }
                work.status(site, SiteStatus.READY, null, null);
                outcome.put("check", check.site().toString());
                String summary = "Created " + site.domain() + " (" + check.site() + ")";
                SiteRecord ready = work.reload(site.id());
                boolean code = ready.deploySource() == DeploySource.GIT && ready.repositoryUrl() != null
                        || ready.deploySource() == DeploySource.WORDPRESS;
                if (code) {
                    String what = ready.deploySource() == DeploySource.WORDPRESS ? "WordPress" : ready.branch();
                    Deployment first = work.transactions().call(() -> queue.getObject().deploy(ready, "create", null, null, null));
                    outcome.put("deployment", first.id());
                    outcome.put("deploymentJob", String.valueOf(first.jobId()));
                    job.info("Queued the first deployment of " + what + " (" + first.id() + ").");
                    summary += "; deploying " + what;
                }
                return new JobOutcome(summary, outcome);
            } catch (JobFailure e) {
                if (lastTry(job, e, RETRIES)) {
                    work.status(site, SiteStatus.FAILED, e.getMessage(), failedAt(step, e));
                } else {
                    work.status(site, SiteStatus.CREATING, "Trying again: " + e.getMessage(), null);
                }
                throw e;
            }
        }
    }

    /**
     * Applies changed settings (names, web root, PHP version, nginx lines, WAF). A refused change (nginx -t) leaves
     * the server as it was and the site in its state, with the reason in its note.
     */
    @Component
    static final class UpdateJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;

        UpdateJob(SiteWork work, SiteChecks checks) {
            this.work = work;
            this.checks = checks;
        }

        @Override
        public String name() {
            return SiteJobTypes.UPDATE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            String step = "site.yml";
            try {
                PlaybookResult result = apply(work, job, site, "present", List.of());
                recordWaf(work, site, result);
                step = STEP_CHECK;
                SiteChecks.Comparison check = checks.require(job, site, "answer with the site's own page",
                        comparison -> answersAsItself(site, comparison));
                // A site whose creation failed is whole once its settings apply and it answers.
                SiteStatus now = site.status() == SiteStatus.FAILED ? SiteStatus.READY : site.status();
                work.status(site, now, null, null);
                Map<String, Object> outcome = new LinkedHashMap<>(result.outputs());
                outcome.put("check", check.site().toString());
                return new JobOutcome("Applied the settings of " + site.domain(), outcome);
            } catch (JobFailure e) {
                if (lastTry(job, e, RETRIES)) {
                    work.status(site, site.status(), "The change was not applied: " + e.getMessage(), failedAt(step, e));
                }
                throw e;
            }
        }
    }

    /**
     * Takes the site offline: its names answer 503 with the suspension page, and its workers, Node.js app and cron
     * jobs stop until it is back (the rows stay, to be started again).
     */
    @Component
    static final class SuspendJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;
        private final SiteProcesses processes;

        SuspendJob(SiteWork work, SiteChecks checks, SiteProcesses processes) {
            this.work = work;
            this.checks = checks;
            this.processes = processes;
        }

        @Override
        public String name() {
            return SiteJobTypes.SUSPEND;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            apply(work, job, site, "suspended", List.of());
            checks.require(job, site, "answer 503 (suspended)", comparison -> comparison.site().status() == 503);
            work.status(site, SiteStatus.SUSPENDED, "Suspended.", null);
            SiteRecord suspended = work.reload(site.id());
            List<String> stopped = new ArrayList<>();
            if (processes.any(suspended)) {
                processes.apply(job, suspended, "");
                stopped.add("its processes");
            }
            if (processes.anyCron(suspended)) {
                processes.applyCron(job, suspended);
                stopped.add("its cron jobs");
            }
            return new JobOutcome("Suspended " + site.domain() + "; it answers 503" + (stopped.isEmpty() ? ""
                    : ", and " + String.join(" and ", stopped) + " stopped"), Map.of("stopped", stopped));
        }
    }

    /** Brings a suspended site back, with its processes and cron jobs. */
    @Component
    static final class UnsuspendJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;
        private final SiteProcesses processes;

        UnsuspendJob(SiteWork work, SiteChecks checks, SiteProcesses processes) {
            this.work = work;
            this.checks = checks;
            this.processes = processes;
        }

        @Override
        public String name() {
            return SiteJobTypes.UNSUSPEND;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            apply(work, job, site, "present", List.of());
            SiteChecks.Comparison check = checks.require(job, site, "answer again (not 503)",
                    comparison -> answersAsItself(site, comparison) && comparison.site().status() != 503);
            work.status(site, SiteStatus.READY, null, null);
            SiteRecord back = work.reload(site.id());
            // The site answers again; a worker that does not come back is marked on its row and warned about here.
            if (processes.any(back)) {
                processes.apply(job, back, "").notActive().forEach(problem -> job.warn("After the suspension " + problem + "."));
            }
            if (processes.anyCron(back)) {
                processes.applyCron(job, back);
            }
            return JobOutcome.of("Brought back " + site.domain() + " (" + check.site() + ")");
        }
    }

    /** Removes the site from its server with its databases, checks it no longer answers, then deletes its records. */
    @Component
    static final class DeleteJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;

        DeleteJob(SiteWork work, SiteChecks checks) {
            this.work = work;
            this.checks = checks;
        }

        @Override
        public String name() {
            return SiteJobTypes.DELETE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RETRIES;
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            List<Map<String, Object>> databases = work.read(repository -> repository.databasesToDrop(site.id()));
            try {
                PlaybookResult result = apply(work, job, site, "absent", databases);
                checks.require(job, site, "no longer answer as the site", comparison -> !comparison.ownAnswer());
                List<Object> removed = new ArrayList<>();
                if (result.outputs().get("removed") instanceof List<?> list) {
                    removed.addAll(list);
                }
                work.update(repository -> repository.delete(site.id()));
                work.transactions().run(() -> work.events().changed(site.tenantPath(), site.id(), "deleted", null));
                job.audit("site.deleted", io.vippanel.platform.AuditEvent.Outcome.SUCCESS,
                        Map.of("site", site.id(), "domain", site.domain(), "removed", removed));
                return new JobOutcome("Deleted " + site.domain() + " from " + site.serverName(),
                        Map.of("removed", removed, "domain", site.domain()));
            } catch (JobFailure e) {
                if (lastTry(job, e, RETRIES)) {
                    work.status(site, SiteStatus.FAILED, "Deleting failed: " + e.getMessage(), failedStep(e));
                }
                throw e;
            }
        }
    }
}
