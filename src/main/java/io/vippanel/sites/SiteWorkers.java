package io.vippanel.sites;

import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.sites.internal.CommandLine;
import io.vippanel.sites.internal.SiteJobTypes;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteServiceRepository;
import io.vippanel.tenancy.Actor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A site's workers (queue workers, daemons): a command run without a shell by 1–20 processes as the site user in the
 * current release, with the site's environment, restarted when they fail. The server always runs the site's whole set.
 */
@Service
public class SiteWorkers {

    public static final int MAX_NAME = 80;
    public static final int MAX_PROCESSES = 20;
    public static final int MAX_PER_SITE = 20;

    /** A worker a site type usually needs, offered when one is added. */
    public record Preset(String name, String command, int processes) {
    }

    private final SiteServiceSupport support;
    private final SiteServiceRepository repository;
    private final Clock clock;

    SiteWorkers(SiteServiceSupport support, SiteServiceRepository repository, Clock clock) {
        this.support = support;
        this.repository = repository;
        this.clock = clock;
    }

    /** What a site of this type usually runs as a worker: Laravel's queue worker. */
    public static List<Preset> presets(SiteType type) {
        return type == SiteType.LARAVEL ? List.of(new Preset("queue", "php artisan queue:work --sleep=3 --tries=3", 1)) : List.of();
    }

    @Transactional(readOnly = true)
    public List<SiteWorker> list(Actor actor, String siteId) {
        return repository.workers(support.visible(actor, siteId).id());
    }

    /**
     * Records the worker {@code pending} and queues the job that starts it.
     *
     * @throws InvalidInput on {@code name}, {@code command} or {@code processes}
     */
    @Transactional
    public SiteWorker create(Actor actor, String siteId, @Nullable String name, @Nullable String command, int processes) {
        SiteRecord site = support.onServer(actor, siteId);
        Validation validation = new Validation();
        String label = validation.requiredText("name", name, MAX_NAME);
        List<String> argv = List.of();
        try {
            argv = CommandLine.argv("command", command == null ? "" : command);
        } catch (InvalidInput e) {
            validation.reject("command", e.fieldErrors().get("command"));
        }
        if (processes < 1 || processes > MAX_PROCESSES) {
            validation.reject("processes", "Run 1 to " + MAX_PROCESSES + " processes.");
        }
        if (!validation.hasErrors() && repository.workerNameTaken(site.id(), label)) {
            validation.reject("name", "The site already has a worker named " + label + ".");
        }
        validation.throwIfInvalid();
        if (repository.workers(site.id()).size() >= MAX_PER_SITE) {
            throw new InvalidInput("name", "A site has at most " + MAX_PER_SITE + " workers.");
        }
        SiteWorker worker = new SiteWorker(Ids.newId("wrk"), site.id(), label, argv, processes, "pending", null, null, clock.instant());
        repository.insertWorker(worker, site.tenantId(), actor.userId());
        String jobId = support.enqueue(actor, site, SiteJobTypes.WORKERS, "Start worker " + label + " of " + site.domain(),
                Map.of("restart", "")).id();
        support.audit(actor, site, "site.worker.created", Map.of("worker", worker.id(), "name", label, "command", argv,
                "processes", processes, "job", jobId));
        return worker;
    }

    /** Marks the worker {@code removing} and queues the job that stops it; the row goes after that. */
    @Transactional
    public String delete(Actor actor, String siteId, String workerId) {
        SiteRecord site = support.onServer(actor, siteId);
        SiteWorker worker = row(site, workerId);
        if (worker.status().equals("removing")) {
            throw new InvalidInput("worker", "The worker " + worker.name() + " is already being removed.");
        }
        repository.setWorkerStatus(worker.id(), "removing", null, null);
        String jobId = support.enqueue(actor, site, SiteJobTypes.WORKERS, "Stop worker " + worker.name() + " of " + site.domain(),
                Map.of("restart", "")).id();
        support.audit(actor, site, "site.worker.deleted", Map.of("worker", worker.id(), "name", worker.name(), "job", jobId));
        return jobId;
    }

    /** Queues a job that restarts the worker's processes (and reads every worker's state). */
    @Transactional
    public String restart(Actor actor, String siteId, String workerId) {
        SiteRecord site = support.onServer(actor, siteId);
        SiteWorker worker = row(site, workerId);
        if (worker.status().equals("removing")) {
            throw new InvalidInput("worker", "The worker " + worker.name() + " is being removed.");
        }
        String jobId = support.enqueue(actor, site, SiteJobTypes.WORKERS, "Restart worker " + worker.name() + " of " + site.domain(),
                Map.of("restart", worker.id())).id();
        support.audit(actor, site, "site.worker.restarted", Map.of("worker", worker.id(), "name", worker.name(), "job", jobId));
        return jobId;
    }

    private SiteWorker row(SiteRecord site, String workerId) {
        SiteServiceSupport.requireId("Worker", "wrk", workerId);
        return repository.worker(site.id(), workerId).orElseThrow(() -> new NotFound("Worker", workerId));
    }
}
