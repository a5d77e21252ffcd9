package io.vippanel.sites.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.DatabaseCreated;
import io.vippanel.sites.EnvApply;
import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteCronJobs;
import io.vippanel.sites.SiteDatabase;
import io.vippanel.sites.SiteDatabases;
import io.vippanel.sites.SiteEnvironment;
import io.vippanel.sites.SiteWorker;
import io.vippanel.sites.SiteWorkers;
import io.vippanel.tenancy.Actor;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/sites/{id}/…}: a site's environment, databases, cron jobs and workers. Changes are recorded at once
 * and applied on the server by a job (answers 202 with the job, or 201 with the new item and its job).
 */
@RestController
@RequestMapping("/api/v1/sites/{siteId}")
@Tag(name = "Site services", description = "A site's .env, databases, cron jobs and workers.")
class SiteServicesApi {

    @Schema(name = "SiteEnvironment", description = "The site's .env text; reading it is audited.")
    record Environment(String dotenv) {
        @Override
        public String toString() {
            return "Environment[…]";
        }
    }

    @Schema(name = "SiteEnvironmentChange", description = "dotenv: KEY=value lines (comments and blank lines allowed, at most "
            + "64 KiB). apply: write (default), reload (also reload PHP-FPM and restart the site's processes) or deploy.")
    record EnvironmentChange(@Nullable String dotenv, @Nullable String apply) {
        @Override
        public String toString() {
            return "EnvironmentChange[" + apply + "]";
        }
    }

    @Schema(name = "SiteEnvironmentApplied", description = "jobId is null when the site is not on its server yet: the text is "
            + "kept and written by its first deployment.")
    record EnvironmentApplied(@Nullable String jobId) {
    }

    @Schema(name = "NewSiteDatabase", description = "name: 2–64 lower-case letters, digits and _; username: 2–32, defaults to the name.")
    record NewDatabase(@Nullable String name, @Nullable String username) {
    }

    @Schema(name = "SiteDatabaseCreated", description = "The database (pending until its job ran) and its password, shown this once.")
    record DatabaseWithPassword(SiteDatabase database, String password, String jobId) {
        static DatabaseWithPassword of(DatabaseCreated created) {
            return new DatabaseWithPassword(created.database(), created.password(), created.jobId());
        }

        @Override
        public String toString() {
            return "DatabaseWithPassword[" + database.id() + "]";
        }
    }

    @Schema(name = "SiteDatabasePassword")
    record Password(String password) {
        @Override
        public String toString() {
            return "Password[…]";
        }
    }

    @Schema(name = "NewSiteCronJob", description = "expression: five cron fields or @hourly, @daily, @weekly, @monthly, @yearly, "
            + "@reboot. command: one line run without a shell as the site user in the current release (no ; & | $ ` < > ( ) { } \\).")
    record NewCronJob(@Nullable String expression, @Nullable String command, @Nullable String description) {
    }

    @Schema(name = "NewSiteWorker", description = "command: one line run without a shell (split at spaces; quotes group), "
            + "processes 1–20.")
    record NewWorker(@Nullable String name, @Nullable String command, @Nullable Integer processes) {
    }

    @Schema(name = "SiteJobAccepted", description = "The job doing the work; follow it at /api/v1/jobs/{jobId}.")
    record Accepted(String jobId) {
    }

    private final SiteEnvironment environment;
    private final SiteDatabases databases;
    private final SiteCronJobs cronJobs;
    private final SiteWorkers workers;

    SiteServicesApi(SiteEnvironment environment, SiteDatabases databases, SiteCronJobs cronJobs, SiteWorkers workers) {
        this.environment = environment;
        this.databases = databases;
        this.cronJobs = cronJobs;
        this.workers = workers;
    }

    @GetMapping("/env")
    @Operation(summary = "Read the site's .env", description = "Needs the right to manage the site; every reading is audited.")
    Environment readEnvironment(@AuthenticationPrincipal Actor actor, @PathVariable String siteId) {
        return new Environment(environment.read(actor, siteId));
    }

    @PutMapping("/env")
    @Operation(summary = "Replace the site's .env", description = "Checked line by line (422 names the line), stored encrypted "
            + "and written to shared/.env by a job. Answers 202.")
    ResponseEntity<EnvironmentApplied> writeEnvironment(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                                        @RequestBody EnvironmentChange request) {
        EnvApply apply = EnvApply.fromKey(request.apply())
                .orElseThrow(() -> new InvalidInput("apply", "Choose write, reload or deploy."));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new EnvironmentApplied(environment.write(actor, siteId, request.dotenv(), apply)));
    }

    @GetMapping("/databases")
    @Operation(summary = "List the site's databases", description = "Never with passwords.")
    List<SiteDatabase> listDatabases(@AuthenticationPrincipal Actor actor, @PathVariable String siteId) {
        return databases.list(actor, siteId);
    }

    @PostMapping("/databases")
    @Operation(summary = "Create a database and its user", description = "On the server's MariaDB or PostgreSQL; names are unique "
            + "per server. Answers 201 with the generated password, shown this once.")
    ResponseEntity<DatabaseWithPassword> createDatabase(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                                        @RequestBody NewDatabase request) {
        DatabaseCreated created = databases.create(actor, siteId, request.name(), request.username());
        return ResponseEntity.created(URI.create("/api/v1/sites/" + siteId + "/databases/" + created.database().id()))
                .body(DatabaseWithPassword.of(created));
    }

    @DeleteMapping("/databases/{databaseId}")
    @Operation(summary = "Drop a database and its user", description = "Answers 202; the database is listed as removing until dropped.")
    ResponseEntity<Accepted> deleteDatabase(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                            @PathVariable String databaseId) {
        return accepted(databases.delete(actor, siteId, databaseId));
    }

    @PostMapping("/databases/{databaseId}/password")
    @Operation(summary = "Give the database user a new password", description = "Answers 200 with the new password, shown this once, and the job setting it.")
    DatabaseWithPassword changeDatabasePassword(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                                @PathVariable String databaseId) {
        return DatabaseWithPassword.of(databases.changePassword(actor, siteId, databaseId));
    }

    @GetMapping("/databases/{databaseId}/password")
    @Operation(summary = "Show the database user's password", description = "Every showing is audited.")
    Password revealDatabasePassword(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String databaseId) {
        return new Password(databases.revealPassword(actor, siteId, databaseId));
    }

    @GetMapping("/cron-jobs")
    @Operation(summary = "List the site's cron jobs")
    List<SiteCronJob> listCronJobs(@AuthenticationPrincipal Actor actor, @PathVariable String siteId) {
        return cronJobs.list(actor, siteId);
    }

    @PostMapping("/cron-jobs")
    @Operation(summary = "Add a cron job", description = "Answers 201; pending until the job wrote the site's cron file.")
    ResponseEntity<SiteCronJob> createCronJob(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                              @RequestBody NewCronJob request) {
        SiteCronJob created = cronJobs.create(actor, siteId, request.expression(), request.command(), request.description());
        return ResponseEntity.created(URI.create("/api/v1/sites/" + siteId + "/cron-jobs/" + created.id())).body(created);
    }

    @DeleteMapping("/cron-jobs/{cronJobId}")
    @Operation(summary = "Remove a cron job", description = "Answers 202 with the job rewriting the cron file.")
    ResponseEntity<Accepted> deleteCronJob(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String cronJobId) {
        return accepted(cronJobs.delete(actor, siteId, cronJobId));
    }

    @PostMapping("/cron-jobs/{cronJobId}/output")
    @Operation(summary = "Read a cron job's last output", description = "Answers 202 with a job whose result has output, exitCode and finishedAt.")
    ResponseEntity<Accepted> cronJobOutput(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String cronJobId) {
        return accepted(cronJobs.fetchOutput(actor, siteId, cronJobId));
    }

    @GetMapping("/workers")
    @Operation(summary = "List the site's workers", description = "With the state the last job read: active, inactive or failed.")
    List<SiteWorker> listWorkers(@AuthenticationPrincipal Actor actor, @PathVariable String siteId) {
        return workers.list(actor, siteId);
    }

    @PostMapping("/workers")
    @Operation(summary = "Add a worker", description = "Answers 201; pending until the job started it.")
    ResponseEntity<SiteWorker> createWorker(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                                            @RequestBody NewWorker request) {
        SiteWorker created = workers.create(actor, siteId, request.name(), request.command(),
                request.processes() == null ? 1 : request.processes());
        return ResponseEntity.created(URI.create("/api/v1/sites/" + siteId + "/workers/" + created.id())).body(created);
    }

    @DeleteMapping("/workers/{workerId}")
    @Operation(summary = "Stop and remove a worker", description = "Answers 202 with the job.")
    ResponseEntity<Accepted> deleteWorker(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String workerId) {
        return accepted(workers.delete(actor, siteId, workerId));
    }

    @PostMapping("/workers/{workerId}/restart")
    @Operation(summary = "Restart a worker", description = "Answers 202 with the job.")
    ResponseEntity<Accepted> restartWorker(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, @PathVariable String workerId) {
        return accepted(workers.restart(actor, siteId, workerId));
    }

    private static ResponseEntity<Accepted> accepted(String jobId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(jobId));
    }
}
