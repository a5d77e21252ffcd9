package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The jobs pages over HTTP, as a browser without JavaScript and as HTMX: list filters (and refusals of garbage),
 * the detail page with its log and live hooks, cancel and re-run through the forms, the worker check, the
 * dashboard widget, and that nobody reaches another tenant's job.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsPagesTests {

    private static final Map<String, String> HTMX = Map.of("HX-Request", "true");
    private static final Map<String, String> BOOSTED = Map.of("HX-Request", "true", "HX-Boosted", "true");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "jobpages");
        // A stream read with a plain GET returns once the stream ends.
        registry.add("vip.jobs.stream-timeout", () -> "2s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    Jobs jobs;

    Fixture fixture;
    JobWatch watch;
    PanelClient client1;
    PanelClient client2;
    PanelClient superadmin;
    /** Client 1's jobs: one that succeeded on a target, one that failed; and client 2's own job. */
    Job deployed;
    Job misconfigured;
    Job foreign;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, WAIT);
        client1 = PanelClient.browser(port).login(fixture.client1User.email(), Fixture.PASSWORD);
        client2 = PanelClient.browser(port).login(fixture.client2User.email(), Fixture.PASSWORD);
        superadmin = PanelClient.browser(port).login(fixture.superadmin.email(), Fixture.PASSWORD);
        deployed = watch.awaitFinal(enqueue(fixture.client1.id(), TestJobTypes.STEPS, "Deploy alpha", "srv_alpha",
                Map.of("steps", 3, "delayMillis", 10), fixture.client1User).id());
        misconfigured = watch.awaitFinal(enqueue(fixture.client1.id(), TestJobTypes.MISCONFIGURED, "Connect provider", null, Map.of(),
                fixture.client1User).id());
        foreign = watch.awaitFinal(enqueue(fixture.client2.id(), TestJobTypes.STEPS, "Deploy beta", "srv_beta",
                Map.of("steps", 1, "delayMillis", 1), fixture.client2User).id());
    }

    @Test
    void theListShowsTheJobsOfTheUsersTenantsWithLiveStatusChips() {
        HttpResponse<String> page = client1.get("/jobs");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<!DOCTYPE html>", "Deploy alpha", deployed.id(), "Connect provider", misconfigured.id(),
                "srv_alpha", "succeeded", "failed", "1/5", "1/3")
                .doesNotContain(foreign.id(), "Deploy beta")
                .contains("hx-ext=\"sse\" sse-connect=\"/events/jobs\"")
                .contains("sse-swap=\"status-" + deployed.id() + "\"", "sse-swap=\"status-" + misconfigured.id() + "\"")
                .contains("<time datetime=\"" + deployed.queuedAt() + "\"")
                .contains("<option value=\"" + TestJobTypes.STEPS + "\"");
        assertThat(page.body()).as("only staff may check workers").doesNotContain("Check workers");
        assertThat(superadmin.get("/jobs").body()).contains("Check workers", deployed.id(), foreign.id());
    }

    @Test
    void filtersNarrowTheList() {
        assertThat(listing("status=failed")).contains(misconfigured.id()).doesNotContain(deployed.id());
        assertThat(listing("type=" + TestJobTypes.MISCONFIGURED)).contains(misconfigured.id()).doesNotContain(deployed.id());
        assertThat(listing("target=srv_alpha")).contains(deployed.id()).doesNotContain(misconfigured.id());
        assertThat(listing("target=" + misconfigured.id())).contains(misconfigured.id()).doesNotContain(deployed.id());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(listing("from=" + today + "&to=" + today)).contains(deployed.id(), misconfigured.id());
        assertThat(listing("from=" + tomorrow)).doesNotContain(deployed.id(), misconfigured.id()).contains("No job matches these filters.");
        assertThat(listing("status=succeeded&target=srv_alpha&from=" + deployed.queuedAt().minusSeconds(1)))
                .contains(deployed.id()).contains("value=\"succeeded\" selected");
    }

    @Test
    void garbageFiltersAreRefusedWithAMessageNeverAServerError() {
        assertRefused("status=exploded", "Choose one of queued, running, succeeded, failed, cancelled.");
        assertRefused("from=yesterday", "Use a date like 2026-11-25");
        assertRefused("to=2026-13-45", "Use a date like 2026-11-25");
        assertRefused("from=2026-05-02&to=2026-05-01", "Use a date on or after the start date.");
        assertRefused("type=" + encode("<script>alert(1)</script>"), "Choose a job type from the list.");
        assertRefused("target=" + encode("srv\u0000x"), "no control characters");
        assertRefused("target=" + "x".repeat(101), "at most 100 characters");
        assertRefused("from=" + encode("+999999999-01-01T00:00:00Z"), "between the years 1 and 9999");

        HttpResponse<String> fragment = client1.get("/jobs?status=exploded", HTMX);
        assertThat(fragment.statusCode()).isEqualTo(422);
        assertThat(fragment.body()).doesNotContain("<html").contains("id=\"job-results\"", "Choose one of queued");

        assertThat(client1.get("/jobs?page=many").statusCode()).isEqualTo(400);
        assertThat(client1.get("/jobs?page=-3").statusCode()).isEqualTo(200);
    }

    @Test
    void theDetailShowsTheJobItsLogInOrderAndTheLiveHooks() {
        List<JobLogLine> log = Fixture.as(fixture.client1User, () -> jobs.log(fixture.client1User, deployed.id(), 0));
        HttpResponse<String> page = client1.get("/jobs/" + deployed.id());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<!DOCTYPE html>", "Deploy alpha", deployed.id(), TestJobTypes.STEPS,
                fixture.client1.name(), fixture.client1User.email(), "1 of 5", "all 3 steps done")
                .containsSubsequence("step 1 of 3", "step 2 of 3", "step 3 of 3", "all 3 steps done")
                .contains("sse-connect=\"/events/jobs/" + deployed.id() + "?after=" + log.getLast().seq() + "\"")
                .contains("sse-swap=\"status\"", "sse-swap=\"summary\"", "sse-swap=\"log\" hx-swap=\"beforeend\"")
                .contains("id=\"line-" + log.getFirst().seq() + "\"")
                .as("parameters and result").contains("delayMillis", ">steps<")
                .as("a succeeded job can be neither cancelled nor run again").doesNotContain("id=\"cancel-job\"", "id=\"rerun-job\"")
                .as("clients do not see worker host names").doesNotContain(">Worker<");

        assertThat(client1.get("/jobs/" + misconfigured.id()).body()).contains("id=\"rerun-job\"", "no API token is stored for this provider");
        assertThat(superadmin.get("/jobs/" + deployed.id()).body()).contains(">Worker<");
        assertThat(client1.get("/jobs/job_doesnotexist").statusCode()).isEqualTo(404);
    }

    @Test
    void aJobStreamSendsTheMissingLinesThenTheCurrentStatusAndResumesAfterTheLastEventId() {
        List<JobLogLine> log = Fixture.as(fixture.client1User, () -> jobs.log(fixture.client1User, deployed.id(), 0));
        String first = log.getFirst().line();
        String last = log.getLast().line();

        String fromPage = client1.get("/events/jobs/" + deployed.id() + "?after=" + log.get(1).seq()).body();
        assertThat(fromPage).as("lines after the page's last one, then where the job stands")
                .doesNotContain(first, ">" + log.get(1).line() + "<").contains(last)
                .containsSubsequence("id:" + log.get(2).seq() + "\nevent:log", "event:status", "succeeded", "event:summary", "all 3 steps done");

        String resumed = client1.get("/events/jobs/" + deployed.id() + "?after=0", Map.of("Last-Event-ID", Long.toString(log.get(2).seq())))
                .body();
        assertThat(resumed).as("Last-Event-ID wins over the page's older position").doesNotContain("id:" + log.get(2).seq() + "\n")
                .contains("id:" + log.get(3).seq() + "\n", "event:status");

        assertThat(client2.get("/events/jobs/" + deployed.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void aClientGets404ForAnotherTenantsJobEverywhere() {
        Job running = enqueue(fixture.client1.id(), TestJobTypes.STEPS, "Long import", null, Map.of("steps", 400, "delayMillis", 50),
                fixture.client1User);
        try {
            assertThat(client2.get("/jobs/" + running.id()).statusCode()).isEqualTo(404);
            assertThat(client2.get("/jobs/" + running.id(), HTMX).statusCode()).isEqualTo(404);
            assertThat(client2.postForm("/jobs/" + running.id() + "/cancel", Map.of()).statusCode()).isEqualTo(404);
            assertThat(client2.postForm("/jobs/" + misconfigured.id() + "/rerun", Map.of()).statusCode()).isEqualTo(404);
            HttpResponse<String> htmxCancel = client2.postForm("/jobs/" + running.id() + "/cancel", Map.of(), HTMX);
            assertThat(htmxCancel.statusCode()).isEqualTo(404);
            assertThat(htmxCancel.body()).contains("alert-error", "does not exist or is not yours").doesNotContain(running.id());
            assertThat(client2.get("/jobs").body()).doesNotContain(running.id(), deployed.id());

            assertThat(watch.current(running.id()).cancelRequested()).as("the foreign cancel changed nothing").isFalse();
            assertThat(jobsOf(fixture.client1User).stream().filter(job -> misconfigured.id().equals(job.rerunOf())))
                    .as("the foreign re-run queued nothing").isEmpty();
        } finally {
            Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, running.id()));
            watch.awaitFinal(running.id());
        }
    }

    @Test
    void onlyStaffMayCheckTheWorkers() {
        assertThat(client1.postForm("/jobs/worker-check", Map.of()).statusCode()).isEqualTo(403);

        HttpResponse<String> queued = superadmin.postForm("/jobs/worker-check", Map.of());

        assertThat(queued.statusCode()).isEqualTo(302);
        String location = queued.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/jobs/job_[A-Za-z0-9_-]+");
        String jobId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(superadmin.get("/jobs/" + jobId).body()).contains("Check workers", "Worker check queued.", fixture.superadmin.email());
        Job done = watch.awaitFinal(jobId);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.tenantId()).isEqualTo(fixture.platform.id());
        assertThat(done.summary()).startsWith("A worker picked the job up");
        assertThat(client1.get("/jobs").body()).doesNotContain(jobId);
    }

    @Test
    void cancellingThroughTheFormWorksWithAndWithoutHtmx() {
        Job running = enqueue(fixture.client1.id(), TestJobTypes.STEPS, "Long backup", null, Map.of("steps", 400, "delayMillis", 50),
                fixture.client1User);
        watch.await(running.id(), job -> job.status() == JobStatus.RUNNING);

        HttpResponse<String> cancel = client1.postForm("/jobs/" + running.id() + "/cancel", Map.of());

        assertThat(cancel.statusCode()).isEqualTo(302);
        assertThat(cancel.headers().firstValue("Location").orElseThrow()).endsWith("/jobs/" + running.id());
        assertThat(client1.get("/jobs/" + running.id()).body()).containsAnyOf("Cancel requested: the worker is stopping the job.", "Job cancelled.");
        assertThat(watch.awaitFinal(running.id()).status()).isEqualTo(JobStatus.CANCELLED);

        HttpResponse<String> again = client1.postForm("/jobs/" + running.id() + "/cancel", Map.of());
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(client1.get("/jobs/" + running.id()).body()).contains("alert-error", "The job has already cancelled; there is nothing to cancel.");

        Job queued = enqueue(fixture.client1.id(), TestJobTypes.STEPS, "Long restore", null, Map.of("steps", 400, "delayMillis", 50),
                fixture.client1User);
        HttpResponse<String> htmxCancel = client1.postForm("/jobs/" + queued.id() + "/cancel", Map.of(), HTMX);
        assertThat(htmxCancel.statusCode()).isEqualTo(200);
        assertThat(htmxCancel.headers().firstValue("HX-Retarget")).contains("#toasts");
        assertThat(htmxCancel.headers().firstValue("HX-Reswap")).contains("beforeend");
        assertThat(htmxCancel.headers().firstValue("HX-Trigger").orElseThrow()).contains("job-changed");
        assertThat(htmxCancel.body()).doesNotContain("<html").contains("alert-success").containsAnyOf("Job cancelled.", "Cancel requested");
        assertThat(watch.awaitFinal(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);

        HttpResponse<String> htmxAgain = client1.postForm("/jobs/" + queued.id() + "/cancel", Map.of(), HTMX);
        assertThat(htmxAgain.statusCode()).isEqualTo(422);
        assertThat(htmxAgain.headers().firstValue("HX-Retarget")).contains("#toasts");
        assertThat(htmxAgain.body()).contains("alert-error", "The job has already cancelled");
    }

    @Test
    void rerunningThroughTheFormOpensTheNewJob() {
        HttpResponse<String> rerun = client1.postForm("/jobs/" + misconfigured.id() + "/rerun", Map.of());

        assertThat(rerun.statusCode()).isEqualTo(302);
        String location = rerun.headers().firstValue("Location").orElseThrow();
        String newId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(newId).startsWith("job_").isNotEqualTo(misconfigured.id());
        assertThat(client1.get("/jobs/" + newId).body()).contains("Re-run queued.", "Connect provider", "Re-run of",
                "href=\"/jobs/" + misconfigured.id() + "\"");
        assertThat(watch.awaitFinal(newId).rerunOf()).isEqualTo(misconfigured.id());

        HttpResponse<String> htmxRerun = client1.postForm("/jobs/" + misconfigured.id() + "/rerun", Map.of(), HTMX);
        assertThat(htmxRerun.statusCode()).isEqualTo(200);
        assertThat(htmxRerun.headers().firstValue("HX-Redirect").orElseThrow()).matches("/jobs/job_[A-Za-z0-9_-]+");
        HttpResponse<String> boostedRerun = client1.postForm("/jobs/" + misconfigured.id() + "/rerun", Map.of(), BOOSTED);
        assertThat(boostedRerun.statusCode()).as("a boosted form follows a plain redirect").isEqualTo(302);

        HttpResponse<String> refused = client1.postForm("/jobs/" + deployed.id() + "/rerun", Map.of());
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("/jobs/" + deployed.id());
        assertThat(client1.get("/jobs/" + deployed.id()).body())
                .contains("alert-error", "Only a failed or cancelled job can be run again; this one is succeeded.");
        HttpResponse<String> htmxRefused = client1.postForm("/jobs/" + deployed.id() + "/rerun", Map.of(), BOOSTED);
        assertThat(htmxRefused.statusCode()).isEqualTo(422);
        assertThat(htmxRefused.body()).doesNotContain("<html").contains("alert-error", "Only a failed or cancelled job");
    }

    @Test
    void htmxRequestsGetFragmentsAndNavigationGetsWholePages() {
        HttpResponse<String> results = client1.get("/jobs?status=failed", HTMX);
        assertThat(results.statusCode()).isEqualTo(200);
        assertThat(results.body()).doesNotContain("<html", "<nav", "sse-connect").contains("id=\"job-results\"", misconfigured.id())
                .doesNotContain(deployed.id());
        assertThat(client1.get("/jobs?status=failed", BOOSTED).body()).contains("<!DOCTYPE html>", "<nav", "id=\"job-results\"");

        HttpResponse<String> facts = client1.get("/jobs/" + deployed.id(), HTMX);
        assertThat(facts.statusCode()).isEqualTo(200);
        assertThat(facts.body()).doesNotContain("<html", "step 1 of 3").contains("id=\"job-facts\"", "1 of 5");
        assertThat(client1.get("/jobs/" + deployed.id(), BOOSTED).body()).contains("<!DOCTYPE html>", "step 1 of 3");
    }

    @Test
    void theDashboardWidgetListsRunningAndRecentlyFailedJobs() {
        assertThat(client1.get("/").body()).contains("hx-get=\"/jobs/widget\"", "hx-trigger=\"load, sse:job-status throttle:2s\"",
                "sse-connect=\"/events/jobs\"");
        assertThat(client2.get("/jobs/widget", HTMX).body()).contains("No running jobs.", "No failed jobs.", "All jobs");

        Job running = enqueue(fixture.client1.id(), TestJobTypes.STEPS, "Nightly sync", null, Map.of("steps", 400, "delayMillis", 50),
                fixture.client1User);
        try {
            watch.await(running.id(), job -> job.status() == JobStatus.RUNNING);
            HttpResponse<String> widget = client1.get("/jobs/widget", HTMX);

            assertThat(widget.statusCode()).isEqualTo(200);
            assertThat(widget.body()).doesNotContain("<html").contains("Nightly sync", "href=\"/jobs/" + running.id() + "\"",
                    "Connect provider", "href=\"/jobs/" + misconfigured.id() + "\"");
            assertThat(client2.get("/jobs/widget", HTMX).body()).doesNotContain("Nightly sync", "Connect provider");
        } finally {
            Fixture.as(fixture.client1User, () -> jobs.cancel(fixture.client1User, running.id()));
            watch.awaitFinal(running.id());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private String listing(String query) {
        HttpResponse<String> page = client1.get("/jobs?" + query);
        assertThat(page.statusCode()).as("GET /jobs?%s", query).isEqualTo(200);
        return page.body();
    }

    private void assertRefused(String query, String message) {
        HttpResponse<String> page = client1.get("/jobs?" + query);
        assertThat(page.statusCode()).as("GET /jobs?%s", query).isEqualTo(422);
        assertThat(page.body()).as("GET /jobs?%s", query).contains(message).contains("id=\"job-filters\"");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Job enqueue(String tenantId, String type, String title, String targetId, Map<String, ?> params, Actor startedBy) {
        NewJob job = new NewJob(tenantId, type, title, targetId == null ? null : "server", targetId, params, startedBy);
        return watch.enqueue(job);
    }

    private List<Job> jobsOf(Actor actor) {
        return Fixture.as(actor, () -> jobs.list(actor, JobFilter.none(), 500, 0));
    }
}
