package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.test.annotation.DirtiesContext;

/** {@code /api/v1/jobs} with personal API tokens, against a real worker: shapes, filters, the log cursor, cancel and retry. */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z";

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "jobsapi");
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
    PanelClient reseller1;
    PanelClient reseller2;
    PanelClient superadmin;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, Duration.ofSeconds(20));
        client1 = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        reseller1 = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        reseller2 = PanelClient.api(port, fixture.tokenOf(fixture.reseller2User));
        superadmin = PanelClient.api(port, fixture.tokenOf(fixture.superadmin));
    }

    private Job enqueue(String tenantId, Actor by, String type, String target, Map<String, ?> params) {
        return watch.enqueue(new NewJob(tenantId, type, "API test " + type, "server", target, params, by));
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }

    @Test
    void aJobReadsAsDocumentedJsonWithUtcTimestamps() {
        Job job = watch.awaitFinal(enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.STEPS, "srv_shape", Map.of("steps", 2, "delayMillis", 1)).id());

        JsonNode shown = ok(client1.send("GET", "/api/v1/jobs/" + job.id(), null), 200);

        assertThat(shown.path("id").asString()).isEqualTo(job.id()).matches("job_[a-z2-9]{20}");
        assertThat(shown.path("tenantId").asString()).isEqualTo(fixture.client1.id());
        assertThat(shown.path("tenantName").asString()).isEqualTo(fixture.client1.name());
        assertThat(shown.path("type").asString()).isEqualTo(TestJobTypes.STEPS);
        assertThat(shown.path("targetType").asString()).isEqualTo("server");
        assertThat(shown.path("targetId").asString()).isEqualTo("srv_shape");
        assertThat(shown.path("status").asString()).isEqualTo("succeeded");
        assertThat(shown.path("attempts").asInt()).isEqualTo(1);
        assertThat(shown.path("params").path("steps").asInt()).isEqualTo(2);
        assertThat(shown.path("result").path("steps").asInt()).isEqualTo(2);
        assertThat(shown.path("summary").asString()).isEqualTo("all 2 steps done");
        assertThat(shown.path("cancellable").asBoolean()).isFalse();
        assertThat(shown.path("retryable").asBoolean()).isFalse();
        assertThat(shown.path("createdByEmail").asString()).isEqualTo(fixture.client1User.email());
        for (String field : List.of("queuedAt", "startedAt", "finishedAt")) {
            assertThat(shown.path(field).asString()).as(field).matches(ISO_UTC);
        }
        assertThat(shown.path("nextAttemptAt").isNull()).isTrue();
        // Which worker ran it is the platform's business: staff see it, the tenant does not.
        assertThat(shown.path("worker").isNull()).isTrue();
        assertThat(ok(superadmin.send("GET", "/api/v1/jobs/" + job.id(), null), 200).path("worker").asString()).isEqualTo(job.worker());
    }

    @Test
    void theListShowsOnlyTheCallersSubtreeFilteredAndPaged() {
        Instant before = Instant.now().minusSeconds(1);
        Job mine = watch.awaitFinal(enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.STEPS, "srv_list", Map.of("steps", 1, "delayMillis", 1)).id());
        Job failed = watch.awaitFinal(enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.MISCONFIGURED, "srv_list", Map.of()).id());
        Job foreign = watch.awaitFinal(enqueue(fixture.client2.id(), fixture.client2User, TestJobTypes.STEPS, "srv_list", Map.of("steps", 1, "delayMillis", 1)).id());

        JsonNode all = ok(reseller1.send("GET", "/api/v1/jobs?limit=500", null), 200);
        assertThat(ids(all)).contains(mine.id(), failed.id()).doesNotContain(foreign.id());
        assertThat(all.path("total").asLong()).isEqualTo(ids(all).size());
        assertThat(all.path("limit").asInt()).isEqualTo(500);
        assertThat(ids(ok(reseller2.send("GET", "/api/v1/jobs?limit=500", null), 200))).contains(foreign.id()).doesNotContain(mine.id(), failed.id());

        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?status=failed", null), 200))).contains(failed.id()).doesNotContain(mine.id());
        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?status=SUCCEEDED&type=test.steps", null), 200)))
                .contains(mine.id()).doesNotContain(failed.id());
        JsonNode byTarget = ok(client1.send("GET", "/api/v1/jobs?target=srv_list", null), 200);
        assertThat(ids(byTarget)).containsExactlyInAnyOrder(mine.id(), failed.id());
        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?target=" + mine.id(), null), 200))).containsExactly(mine.id());
        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?target=srv_list&from=" + before, null), 200))).hasSize(2);
        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?target=srv_list&to=" + before, null), 200))).isEmpty();
        assertThat(ids(ok(client1.send("GET", "/api/v1/jobs?target=srv_list&from=2000-01-01&to=9999-12-31", null), 200))).hasSize(2);

        // Newest first, in pages, with the total of all matches on every page.
        JsonNode first = ok(client1.send("GET", "/api/v1/jobs?target=srv_list&limit=1", null), 200);
        JsonNode second = ok(client1.send("GET", "/api/v1/jobs?target=srv_list&limit=1&offset=1", null), 200);
        assertThat(ids(first)).containsExactly(failed.id());
        assertThat(ids(second)).containsExactly(mine.id());
        assertThat(first.path("total").asLong()).isEqualTo(2);
        assertThat(second.path("offset").asInt()).isEqualTo(1);
    }

    @Test
    void theLogIsReadInPagesAfterACursor() {
        Job job = watch.awaitFinal(enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.STEPS, "srv_log", Map.of("steps", 4, "delayMillis", 1)).id());
        List<JobLogLine> stored = watch.log(job.id());

        JsonNode whole = ok(client1.send("GET", "/api/v1/jobs/" + job.id() + "/log", null), 200);
        assertThat(whole.path("jobId").asString()).isEqualTo(job.id());
        assertThat(whole.path("status").asString()).isEqualTo("succeeded");
        assertThat(whole.path("more").asBoolean()).isFalse();
        assertThat(whole.path("lines").valueStream().map(line -> line.path("line").asString()).toList())
                .containsExactlyElementsOf(stored.stream().map(JobLogLine::line).toList())
                .contains("step 1 of 4", "step 4 of 4", "all 4 steps done");
        JsonNode firstLine = whole.path("lines").get(0);
        assertThat(firstLine.path("seq").asLong()).isEqualTo(stored.getFirst().seq());
        assertThat(firstLine.path("level").asString()).isEqualTo("info");
        assertThat(firstLine.path("at").asString()).matches(ISO_UTC);
        assertThat(whole.path("next").asLong()).isEqualTo(stored.getLast().seq());

        long cursor = stored.get(1).seq();
        JsonNode rest = ok(client1.send("GET", "/api/v1/jobs/" + job.id() + "/log?after=" + cursor, null), 200);
        assertThat(rest.path("lines").valueStream().map(line -> line.path("seq").asLong()).toList())
                .containsExactlyElementsOf(stored.subList(2, stored.size()).stream().map(JobLogLine::seq).toList());

        JsonNode nothingNew = ok(client1.send("GET", "/api/v1/jobs/" + job.id() + "/log?after=" + whole.path("next").asLong(), null), 200);
        assertThat(nothingNew.path("lines").isEmpty()).isTrue();
        assertThat(nothingNew.path("next").asLong()).isEqualTo(whole.path("next").asLong());
    }

    @Test
    void aRunningJobIsCancelledWith202() {
        Job job = enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.STEPS, "srv_cancel", Map.of("steps", 400, "delayMillis", 50));

        HttpResponse<String> response = client1.send("POST", "/api/v1/jobs/" + job.id() + "/cancel", null);

        JsonNode accepted = ok(response, 202);
        assertThat(accepted.path("id").asString()).isEqualTo(job.id());
        assertThat(accepted.path("status").asString()).isIn("queued", "running", "cancelled");
        assertThat(accepted.path("cancelRequested").asBoolean()).isTrue();
        assertThat(watch.awaitFinal(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
        // A finished job cannot be cancelled again: a clear 422, not a silent success.
        HttpResponse<String> again = client1.send("POST", "/api/v1/jobs/" + job.id() + "/cancel", null);
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(again.body()).contains("already cancelled");
    }

    @Test
    void aFailedJobIsRetriedAsANewJobWith201AndItsAddress() {
        Job failed = watch.awaitFinal(enqueue(fixture.client1.id(), fixture.client1User, TestJobTypes.MISCONFIGURED, "srv_retry", Map.of("region", "fsn1")).id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);

        HttpResponse<String> response = reseller1.send("POST", "/api/v1/jobs/" + failed.id() + "/retry", null);

        JsonNode created = ok(response, 201);
        String newId = created.path("id").asString();
        assertThat(newId).isNotEqualTo(failed.id()).startsWith("job_");
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/api/v1/jobs/" + newId));
        assertThat(created.path("rerunOf").asString()).isEqualTo(failed.id());
        assertThat(created.path("type").asString()).isEqualTo(TestJobTypes.MISCONFIGURED);
        assertThat(created.path("targetId").asString()).isEqualTo("srv_retry");
        assertThat(created.path("params").path("region").asString()).isEqualTo("fsn1");
        assertThat(created.path("createdByEmail").asString()).isEqualTo(fixture.reseller1User.email());
        assertThat(ok(client1.send("GET", "/api/v1/jobs/" + newId, null), 200).path("rerunOf").asString()).isEqualTo(failed.id());
        watch.awaitFinal(newId);
    }

    @Test
    void anotherSubtreesJobIsNotFoundForEveryRoute() {
        Job foreign = enqueue(fixture.client2.id(), fixture.client2User, TestJobTypes.MISCONFIGURED, "srv_foreign", Map.of());
        watch.awaitFinal(foreign.id());

        for (String[] call : List.of(new String[] {"GET", ""}, new String[] {"GET", "/log"}, new String[] {"POST", "/cancel"},
                new String[] {"POST", "/retry"})) {
            for (PanelClient outsider : List.of(client1, reseller1)) {
                HttpResponse<String> response = outsider.send(call[0], "/api/v1/jobs/" + foreign.id() + call[1], null);
                assertThat(response.statusCode()).as("%s %s: %s", call[0], call[1], response.body()).isEqualTo(404);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(response.body()).doesNotContain("srv_foreign", fixture.client2.name());
            }
        }
        assertThat(Fixture.as(fixture.superadmin, () -> jobs.list(fixture.superadmin, new JobFilter(null, null, foreign.id(), null, null), 10, 0)))
                .as("the refused retries queued nothing").hasSize(1);
    }

    @Test
    void theOpenApiDocumentDescribesTheJobsApi() {
        HttpResponse<String> docs = PanelClient.browser(port).get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = JSON.readTree(docs.body());
        JsonNode paths = api.path("paths");
        assertThat(paths.has("/api/v1/jobs")).isTrue();
        assertThat(paths.path("/api/v1/jobs/{id}").has("get")).isTrue();
        assertThat(paths.path("/api/v1/jobs/{id}/log").has("get")).isTrue();
        assertThat(paths.path("/api/v1/jobs/{id}/cancel").has("post")).isTrue();
        assertThat(paths.path("/api/v1/jobs/{id}/retry").has("post")).isTrue();
        JsonNode schemas = api.path("components").path("schemas");
        assertThat(schemas.path("Job").path("properties").has("queuedAt")).isTrue();
        assertThat(schemas.path("Job").path("properties").path("queuedAt").path("format").asString()).isEqualTo("date-time");
        assertThat(schemas.path("JobPage").path("properties").has("total")).isTrue();
        assertThat(schemas.path("JobLog").path("properties").has("next")).isTrue();
        assertThat(paths.path("/api/v1/jobs").path("get").path("parameters").valueStream().map(p -> p.path("name").asString()).toList())
                .contains("status", "type", "target", "from", "to", "limit", "offset");
    }
}
