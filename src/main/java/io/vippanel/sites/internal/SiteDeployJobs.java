package io.vippanel.sites.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.platform.VipProperties;
import io.vippanel.sites.DeploySource;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploymentStatus;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Deployments and rollbacks: {@code site-deploy.yml} builds a new release beside the running one and switches the
 * {@code current} link atomically; {@code site-rollback.yml} switches it back to a kept release. Each ends with a check
 * from outside that the site answers 2xx/3xx with its own page, and records the outcome on the deployment's row.
 * Neither is retried: a failed build is for people to look at, and the site keeps serving the old release.
 */
final class SiteDeployJobs {

    private static final DateTimeFormatter RELEASE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private SiteDeployJobs() {
    }

    static boolean served(SiteChecks.Comparison comparison) {
        int status = comparison.site().status();
        return comparison.ownAnswer() && status >= 200 && status < 400;
    }

    static @Nullable String text(@Nullable Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    static List<String> strings(@Nullable Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> values.add(String.valueOf(item)));
        }
        return values;
    }

    static List<Deployment.Step> steps(@Nullable Object value) {
        List<Deployment.Step> steps = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> step && step.get("step") != null) {
                    long millis = step.get("millis") instanceof Number number ? number.longValue() : 0;
                    steps.add(new Deployment.Step(step.get("step").toString(), millis));
                }
            }
        }
        return steps;
    }

    /** Shared by both jobs: the deployment the job works on, its row marked running. */
    static Deployment begin(SiteWork work, DeploymentRepository deployments, JobContext job, SiteRecord site) {
        String id = job.job().params().path("deployment").asString("");
        Deployment deployment = work.transactions().call(() -> deployments.find("/", site.id(), id))
                .orElseThrow(() -> JobFailure.permanent("Deployment " + id + " of site " + site.id() + " no longer exists."));
        if (deployment.status().finished()) {
            throw JobFailure.permanent("Deployment " + id + " has already " + deployment.status().key() + ".");
        }
        work.transactions().run(() -> deployments.start(id, work.clock().instant()));
        work.announce(site);
        return deployment;
    }

    /** Records a failed deployment (the site keeps its current release unless {@code release} became current). */
    static void failed(SiteWork work, DeploymentRepository deployments, SiteRecord site, Deployment deployment,
                       @Nullable String release, @Nullable String commit, List<Deployment.Step> steps, JobFailure failure,
                       @Nullable String failedStep) {
        String step = failedStep != null ? failedStep : SiteLifecycleJobs.failedStep(failure);
        work.transactions().run(() -> {
            deployments.finish(deployment.id(), new DeploymentRepository.Finish(DeploymentStatus.FAILED, release, commit, null, steps,
                    step, failure.getMessage()), work.clock().instant());
            work.update(repository -> repository.setCurrentRelease(site.id(), release, commit, DeploymentStatus.FAILED,
                    work.clock().instant()));
        });
        work.announce(site);
    }

    @Component
    static final class DeployJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;
        private final DeploymentRepository deployments;
        private final SiteArchives archives;
        private final SiteProcesses processes;
        private final WordPressCore wordpress;
        private final VipProperties.Sites settings;

        DeployJob(SiteWork work, SiteChecks checks, DeploymentRepository deployments, SiteArchives archives, SiteProcesses processes,
                  WordPressCore wordpress, VipProperties properties) {
            this.processes = processes;
            this.wordpress = wordpress;
            this.work = work;
            this.checks = checks;
            this.deployments = deployments;
            this.archives = archives;
            this.settings = properties.sites();
        }

        @Override
        public String name() {
            return SiteJobTypes.DEPLOY;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.once();
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            String archive = job.job().params().path("archive").asString("");
            try {
                return deploy(job, site, archive.isEmpty() ? null : archive);
            } finally {
                if (!archive.isEmpty()) {
                    archives.discard(archive);
                }
            }
        }

        private JobOutcome deploy(JobContext job, SiteRecord site, @Nullable String archive) {
            Deployment deployment = begin(work, deployments, job, site);
            String release = RELEASE.format(work.clock().instant());
            String environment = work.secrets().environment(site);
            List<String> steps = SiteInput.steps(site.deployScript());
            boolean core = archive == null && site.deploySource() == DeploySource.WORDPRESS;
            boolean git = archive == null && !core;
            Map<String, @Nullable Object> vars = new LinkedHashMap<>();
            vars.put("deploy_release", release);
            vars.put("deploy_source", core ? "wordpress" : git ? "git" : "archive");
            vars.put("deploy_repository", git ? site.repositoryUrl() : "");
            vars.put("deploy_branch", git ? site.branch() : "");
            vars.put("deploy_archive", archive == null ? "" : archive);
            vars.put("deploy_steps", steps);
            vars.put("deploy_shared_paths", site.sharedPaths());
            vars.put("deploy_env", environment);
            vars.put("deploy_restart", SitePresets.of(site.type()).restart());
            Set<String> secret = new HashSet<>(environment.isEmpty() ? Set.of() : Set.of("deploy_env"));
            try {
                if (core) {
                    vars.putAll(wordpress.vars(job, site));
                    secret.add(WordPressCore.SECRET_VAR);
                }
            } catch (JobFailure e) {
                failed(work, deployments, site, deployment, null, null, List.of(), e, null);
                throw e;
            }
            job.info("Deploying " + (core ? "WordPress core" : git ? site.branch() + " of " + site.repositoryUrl() : "an uploaded archive")
                    + " as release " + release + " (" + steps.size() + " steps).");
            PlaybookResult result;
            try {
                result = work.playbook(job, site, "site-deploy.yml", vars, secret, settings.deployTimeout());
            } catch (JobFailure e) {
                failed(work, deployments, site, deployment, null, null, List.of(), e, null);
                throw e;
            }
            Map<String, Object> outputs = result.outputs();
            String built = java.util.Objects.requireNonNullElse(text(outputs.get("release")), release);
            String commit = text(outputs.get("commit"));
            String version = core ? text(outputs.get("wordpress_version")) : null;
            String message = core ? "WordPress " + java.util.Objects.requireNonNullElse(version, "(version unknown)")
                    : text(outputs.get("commit_message"));
            List<Deployment.Step> ran = steps(outputs.get("steps"));
            List<String> kept = strings(outputs.get("releases"));
            if (!built.equals(release)) {
                job.warn("The server reports release " + built + " where " + release + " was asked for.");
            }
            work.transactions().run(() -> {
                if (!kept.isEmpty()) {
                    deployments.markPruned(site.id(), kept);
                }
            });
            restartProcesses(job, site);
            writePendingCron(job, site);
            SiteChecks.Comparison check;
            try {
                check = checks.require(job, site, "answer 2xx/3xx with the new release", SiteDeployJobs::served);
            } catch (JobFailure e) {
                failed(work, deployments, site, deployment, built, commit, ran, e, SiteLifecycleJobs.STEP_CHECK);
                throw e;
            }
            work.transactions().run(() -> {
                deployments.finish(deployment.id(), new DeploymentRepository.Finish(DeploymentStatus.SUCCEEDED, built, commit, message,
                        ran, null, null), work.clock().instant());
                work.update(repository -> repository.setCurrentRelease(site.id(), built, commit, DeploymentStatus.SUCCEEDED,
                        work.clock().instant()));
                if (core) {
                    wordpress.installed(site, java.util.Objects.requireNonNullElse(version, ""));
                }
            });
            work.announce(site);
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("deployment", deployment.id());
            if (core) {
                outcome.put("wordpress", message);
                outcome.put("wordpressInstalled", Boolean.parseBoolean(String.valueOf(outputs.get("wordpress_installed"))));
            }
            outcome.put("release", built);
            if (commit != null) {
                outcome.put("commit", commit);
            }
            outcome.put("releases", kept);
            outcome.put("pruned", strings(outputs.get("pruned")));
            outcome.put("steps", outputs.getOrDefault("steps", List.of()));
            outcome.put("check", check.site().toString());
            String what = core ? message + " as release " + built
                    : commit == null ? "release " + built : commit.substring(0, Math.min(12, commit.length()));
            return new JobOutcome("Deployed " + what + " to " + site.domain() + " (" + check.site() + ")", outcome);
        }

        /**
         * Starts the new release's processes: a Node.js app exists only once the first deployment gave it code, and
         * workers keep running the old release's code until restarted. A worker that does not come back is recorded
         * on its row and warned about; the site's own answer (checked next) decides the deployment.
         */
        private void restartProcesses(JobContext job, SiteRecord site) {
            if (!processes.any(site)) {
                return;
            }
            try {
                SiteProcesses.Applied applied = processes.apply(job, site, SiteProcesses.ALL);
                applied.notActive().forEach(problem -> job.warn("After the switch " + problem + "."));
            } catch (JobFailure e) {
                job.warn("The site's processes could not be restarted: " + e.getMessage());
            }
        }

        /** A new site's preset cron jobs (Laravel's scheduler) go to the server once there is code for them to run. */
        private void writePendingCron(JobContext job, SiteRecord site) {
            if (!processes.cronPending(site)) {
                return;
            }
            try {
                processes.applyCron(job, site);
            } catch (JobFailure e) {
                job.warn("The site's cron jobs could not be written: " + e.getMessage());
            }
        }
    }

    @Component
    static final class RollbackJob implements JobType {

        private final SiteWork work;
        private final SiteChecks checks;
        private final DeploymentRepository deployments;

        RollbackJob(SiteWork work, SiteChecks checks, DeploymentRepository deployments) {
            this.work = work;
            this.checks = checks;
            this.deployments = deployments;
        }

        @Override
        public String name() {
            return SiteJobTypes.ROLLBACK;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.once();
        }

        @Override
        public JobOutcome run(JobContext job) {
            SiteRecord site = work.site(job);
            Deployment rollback = begin(work, deployments, job, site);
            String release = java.util.Objects.requireNonNull(rollback.release());
            PlaybookResult result;
            try {
                result = work.playbook(job, site, "site-rollback.yml", Map.of("rollback_release", release), Set.of(),
                        java.time.Duration.ofMinutes(5));
            } catch (JobFailure e) {
                failed(work, deployments, site, rollback, null, null, List.of(), e, null);
                throw e;
            }
            String current = java.util.Objects.requireNonNullElse(text(result.outputs().get("release")), release);
            if (!current.equals(release)) {
                JobFailure wrong = JobFailure.permanent("The server switched to release " + current + ", not " + release + ".");
                failed(work, deployments, site, rollback, current, null, List.of(), wrong, "site-rollback.yml");
                throw wrong;
            }
            List<String> kept = strings(result.outputs().get("releases"));
            Set<String> keptSet = new HashSet<>(kept);
            SiteChecks.Comparison check;
            try {
                check = checks.require(job, site, "answer 2xx/3xx with release " + release, SiteDeployJobs::served);
            } catch (JobFailure e) {
                failed(work, deployments, site, rollback, release, rollback.commitHash(), List.of(), e, SiteLifecycleJobs.STEP_CHECK);
                throw e;
            }
            work.transactions().run(() -> {
                deployments.finish(rollback.id(), new DeploymentRepository.Finish(DeploymentStatus.SUCCEEDED, release,
                        rollback.commitHash(), rollback.commitMessage(), List.of(), null, null), work.clock().instant());
                work.update(repository -> repository.setCurrentRelease(site.id(), release, rollback.commitHash(),
                        DeploymentStatus.SUCCEEDED, work.clock().instant()));
                if (!keptSet.isEmpty()) {
                    deployments.markPruned(site.id(), kept);
                }
            });
            work.announce(site);
            return new JobOutcome("Rolled " + site.domain() + " back to release " + release + " (" + check.site() + ")",
                    Map.of("deployment", rollback.id(), "release", release, "releases", kept, "check", check.site().toString()));
        }
    }
}
