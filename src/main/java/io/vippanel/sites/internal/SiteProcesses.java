package io.vippanel.sites.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteType;
import io.vippanel.sites.SiteWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What a site runs besides serving requests: its queue workers and (for a Node.js site) the app itself, written as
 * one whole set by {@code site-workers.yml} under the server's process manager, and its cron jobs
 * ({@code site-cron.yml}). Used by the workers and cron jobs and by deployments, which start a Node.js app the first
 * time, restart workers onto the new release and write the cron jobs a new site was given (Laravel's scheduler). A
 * suspended site runs none of them: the sets written for it are empty, and its rows say why until it is back.
 */
@Component
public class SiteProcesses {

    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** What {@code worker_restart} takes to restart every process of the site. */
    static final String ALL = "all";
    static final String SUSPENDED_NOTE = "Stopped while the site is suspended.";

    /** What a run did: the states per worker id (and {@code node}), the rows not running, and the job outcome. */
    public record Applied(Map<String, String> states, List<String> notActive, int running, boolean restarted,
                          Map<String, Object> outcome) {
    }

    private final SiteWork work;
    private final SiteServiceRepository repository;

    public SiteProcesses(SiteWork work, SiteServiceRepository repository) {
        this.work = work;
        this.repository = repository;
    }

    /** Whether the site has processes at all: a Node.js app or at least one worker. */
    public boolean any(SiteRecord site) {
        return site.type() == SiteType.NODEJS || !work.transactions().call(() -> repository.workers(site.id())).isEmpty();
    }

    /**
     * Writes the whole set and records each worker's state; {@code restart} is {@code ""}, a worker id (restarted only
     * when it is one of the site's), {@code node} or {@link #ALL}.
     */
    public Applied apply(JobContext job, SiteRecord site, String restart) {
        boolean suspended = site.status() == SiteStatus.SUSPENDED;
        List<SiteWorker> rows = work.transactions().call(() -> repository.workers(site.id()));
        List<SiteWorker> running = rows.stream().filter(row -> !row.status().equals("removing")).toList();
        List<Map<String, Object>> wanted = suspended ? List.of() : running.stream()
                .map(row -> Map.<String, Object>of("id", row.id(), "command", row.command(), "processes", row.processes())).toList();
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("workers", wanted);
        // The Node.js app runs under the same process manager: a run without it would stop the site.
        vars.put("node_app", site.type() == SiteType.NODEJS && !suspended ? Map.of("command", List.of("npm", "start")) : Map.of());
        boolean known = restart.equals(ALL) || restart.equals("node") && site.type() == SiteType.NODEJS
                || running.stream().anyMatch(row -> row.id().equals(restart));
        String restarting = known && !suspended ? restart : "";
        vars.put("worker_restart", restarting);
        PlaybookResult result = work.playbook(job, site, "site-workers.yml", vars, Set.of(), TIMEOUT);
        Map<String, String> states = new LinkedHashMap<>();
        if (result.outputs().get("workers") instanceof Map<?, ?> reported) {
            reported.forEach((id, state) -> states.put(String.valueOf(id), String.valueOf(state)));
        }
        List<String> notActive = new ArrayList<>();
        work.update(ignored -> {
            for (SiteWorker row : rows) {
                if (row.status().equals("removing")) {
                    repository.deleteWorker(row.id());
                    continue;
                }
                if (suspended) {
                    repository.setWorkerStatus(row.id(), "inactive", SUSPENDED_NOTE, work.clock().instant());
                    continue;
                }
                String state = states.getOrDefault(row.id(), "failed");
                String status = switch (state) {
                    case "active", "inactive" -> state;
                    default -> "failed";
                };
                if (!status.equals("active")) {
                    notActive.add(row.name() + " is " + state);
                }
                repository.setWorkerStatus(row.id(), status, status.equals("active") ? null
                        : "The process manager reports it " + state + ".", work.clock().instant());
            }
        });
        if (site.type() == SiteType.NODEJS && !suspended && !"active".equals(states.get("node"))) {
            notActive.add("the Node.js app is " + states.getOrDefault("node", "missing"));
        }
        work.announce(site);
        Map<String, Object> outcome = Map.of("workers", states, "manager", SiteServiceJobs.text(result.outputs().get("manager")));
        return new Applied(states, notActive, running.size(), !restarting.isEmpty(), outcome);
    }

    /** Whether the site has cron jobs (any state). */
    public boolean anyCron(SiteRecord site) {
        return !work.transactions().call(() -> repository.cronJobs(site.id())).isEmpty();
    }

    /** Whether a cron job of the site waits to be written to the server. */
    public boolean cronPending(SiteRecord site) {
        return work.transactions().call(() -> repository.cronJobs(site.id())).stream().anyMatch(row -> row.status().equals("pending"));
    }

    /**
     * Writes the site's whole set of cron jobs (none while it is suspended: they wait, pending), drops the removed rows,
     * and returns how many the server now runs.
     */
    public int applyCron(JobContext job, SiteRecord site) {
        boolean suspended = site.status() == SiteStatus.SUSPENDED;
        List<SiteCronJob> rows = work.transactions().call(() -> repository.cronJobs(site.id()));
        List<Map<String, Object>> wanted = suspended ? List.of() : rows.stream().filter(row -> !row.status().equals("removing"))
                .map(row -> Map.<String, Object>of("id", row.id(), "expression", row.expression(), "command", row.command())).toList();
        Map<String, @Nullable Object> vars = new LinkedHashMap<>();
        vars.put("cron_jobs", wanted);
        PlaybookResult result = work.playbook(job, site, "site-cron.yml", vars, Set.of(), TIMEOUT);
        String file = SiteServiceJobs.text(result.outputs().get("cron_file"));
        if (!wanted.isEmpty() && file.isEmpty()) {
            throw JobFailure.permanent("The playbook did not report the site's cron file.");
        }
        work.update(ignored -> rows.forEach(row -> {
            if (row.status().equals("removing")) {
                repository.deleteCronJob(row.id());
            } else {
                repository.setCronStatus(row.id(), suspended ? "pending" : "applied");
            }
        }));
        work.announce(site);
        job.info(suspended ? "The site is suspended: its cron jobs wait until it is back."
                : wanted.size() + " cron jobs in " + (file.isEmpty() ? "no cron file" : file) + ".");
        return wanted.size();
    }

    /** After a cron run that failed for good: the cron jobs still waiting to be written failed with it. */
    public void markPendingCronFailed(SiteRecord site) {
        work.update(ignored -> work.transactions().call(() -> repository.cronJobs(site.id())).stream()
                .filter(row -> row.status().equals("pending")).forEach(row -> repository.setCronStatus(row.id(), "failed")));
        work.announce(site);
    }

    /** After a run that failed for good: the workers still waiting to be applied failed with it. */
    public void markPendingFailed(SiteRecord site, @Nullable String reason) {
        work.update(ignored -> work.transactions().call(() -> repository.workers(site.id())).stream()
                .filter(row -> row.status().equals("pending"))
                .forEach(row -> repository.setWorkerStatus(row.id(), "failed", reason, work.clock().instant())));
        work.announce(site);
    }
}
