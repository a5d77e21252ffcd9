package io.vippanel.sites;

import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.sites.internal.CommandLine;
import io.vippanel.sites.internal.CronSchedule;
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
 * A site's cron jobs: a schedule and a one-line command run as the site user in its current release, its output and
 * exit code kept on the server. The server's {@code /etc/cron.d} file of the site always holds the site's whole set.
 */
@Service
public class SiteCronJobs {

    public static final int MAX_DESCRIPTION = 200;
    public static final int MAX_PER_SITE = 50;

    /** A cron job a site type usually needs, offered when one is added. */
    public record Preset(String expression, String command, String description) {
    }

    private final SiteServiceSupport support;
    private final SiteServiceRepository repository;
    private final Clock clock;

    SiteCronJobs(SiteServiceSupport support, SiteServiceRepository repository, Clock clock) {
        this.support = support;
        this.repository = repository;
        this.clock = clock;
    }

    /** What a site of this type usually runs from cron: Laravel's scheduler every minute. */
    public static List<Preset> presets(SiteType type) {
        return type == SiteType.LARAVEL ? List.of(new Preset("* * * * *", "php artisan schedule:run", "Laravel scheduler")) : List.of();
    }

    @Transactional(readOnly = true)
    public List<SiteCronJob> list(Actor actor, String siteId) {
        return repository.cronJobs(support.visible(actor, siteId).id());
    }

    /**
     * Records the cron job {@code pending} and queues the job that writes the site's cron file.
     *
     * @throws InvalidInput on {@code expression}, {@code command} or {@code description}
     */
    @Transactional
    public SiteCronJob create(Actor actor, String siteId, @Nullable String expression, @Nullable String command,
                              @Nullable String description) {
        SiteRecord site = support.onServer(actor, siteId);
        Validation validation = new Validation();
        String schedule = "";
        try {
            schedule = CronSchedule.normalize(expression == null ? "" : expression);
        } catch (InvalidInput e) {
            validation.reject("expression", e.fieldErrors().get(CronSchedule.FIELD));
        }
        String line = "";
        try {
            line = CommandLine.check("command", command == null ? "" : command);
        } catch (InvalidInput e) {
            validation.reject("command", e.fieldErrors().get("command"));
        }
        String text = description == null ? "" : description.strip();
        if (!text.isEmpty()) {
            text = validation.requiredText("description", text, MAX_DESCRIPTION);
        }
        validation.throwIfInvalid();
        if (repository.cronJobs(site.id()).size() >= MAX_PER_SITE) {
            throw new InvalidInput("command", "A site has at most " + MAX_PER_SITE + " cron jobs.");
        }
        SiteCronJob job = new SiteCronJob(Ids.newId("cron"), site.id(), schedule, line, text, "pending", clock.instant());
        repository.insertCronJob(job, site.tenantId(), actor.userId());
        String jobId = sync(actor, site, "Add cron job to " + site.domain());
        support.audit(actor, site, "site.cron.created", Map.of("cronJob", job.id(), "expression", schedule, "command", line, "job", jobId));
        return job;
    }

    /** Marks the cron job {@code removing} and queues the job that rewrites the cron file without it. */
    @Transactional
    public String delete(Actor actor, String siteId, String cronJobId) {
        SiteRecord site = support.onServer(actor, siteId);
        SiteCronJob job = row(site, cronJobId);
        if (job.status().equals("removing")) {
            throw new InvalidInput("cronJob", "This cron job is already being removed.");
        }
        repository.setCronStatus(job.id(), "removing");
        String jobId = sync(actor, site, "Remove cron job from " + site.domain());
        support.audit(actor, site, "site.cron.deleted", Map.of("cronJob", job.id(), "command", job.command(), "job", jobId));
        return jobId;
    }

    /** Queues a job that reads the cron job's last output; its result has {@code output}, {@code exitCode}, {@code finishedAt}. */
    @Transactional
    public String fetchOutput(Actor actor, String siteId, String cronJobId) {
        SiteRecord site = support.onServer(actor, siteId);
        SiteCronJob job = row(site, cronJobId);
        String jobId = support.enqueue(actor, site, SiteJobTypes.CRON_OUTPUT, "Read the last output of a cron job of " + site.domain(),
                Map.of("cronJob", job.id())).id();
        support.audit(actor, site, "site.cron.output_read", Map.of("cronJob", job.id(), "job", jobId));
        return jobId;
    }

    private SiteCronJob row(SiteRecord site, String cronJobId) {
        SiteServiceSupport.requireId("Cron job", "cron", cronJobId);
        return repository.cronJob(site.id(), cronJobId).orElseThrow(() -> new NotFound("Cron job", cronJobId));
    }

    private String sync(Actor actor, SiteRecord site, String title) {
        return support.enqueue(actor, site, SiteJobTypes.CRON, title, Map.of()).id();
    }
}
