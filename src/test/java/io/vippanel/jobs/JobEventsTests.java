package io.vippanel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.EventStream;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Actor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
 * Live job progress over SSE, through the real HTTP stack, a real worker and the real event transport: each user
 * hears only the jobs of the tenants they may see, a resumed stream gets exactly the lines it missed, and a
 * running job's lines arrive as they are written, each once.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobEventsTests {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    /** How long a stream must stay silent to show it is not sent something. */
    private static final Duration QUIET = Duration.ofMillis(750);

    @DynamicPropertySource
    static void jobsDatabase(DynamicPropertyRegistry registry) {
        JobsTestProperties.register(registry, "jobevents");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JobWatch watch;
    PanelClient client1;
    PanelClient client2;
    PanelClient reseller1;
    PanelClient reseller2;

    @BeforeAll
    void signIn() {
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, PATIENCE);
        client1 = browser(fixture.client1User);
        client2 = browser(fixture.client2User);
        reseller1 = browser(fixture.reseller1User);
        reseller2 = browser(fixture.reseller2User);
    }

    private PanelClient browser(Actor actor) {
        return PanelClient.browser(port).login(actor.email(), Fixture.PASSWORD);
    }

    private Job enqueueSteps(Actor owner, String tenantId, int steps, int delayMillis) {
        return watch.enqueue(NewJob.of(tenantId, TestJobTypes.STEPS, "Steps for " + owner.email(), owner)
                .with(Map.of("steps", steps, "delayMillis", delayMillis)));
    }

    private static Predicate<EventStream.Event> finalStatusOf(Job job) {
        return event -> event.name().equals("status-" + job.id()) && event.data().contains(JobStatus.SUCCEEDED.key());
    }

    /** The ids of the jobs an overview stream heard of, from its per-job status events. */
    private static List<String> jobsHeardOf(EventStream stream) {
        return stream.received().stream().map(EventStream.Event::name).filter(name -> name.startsWith("status-"))
                .map(name -> name.substring("status-".length())).distinct().toList();
    }

    // ------------------------------------------------------------------ (a) tenant isolation

    @Test
    void eachUserHearsOnlyTheJobsOfTheTenantsTheyMaySee() {
        try (EventStream ofClient1 = client1.openEvents("/events/jobs");
             EventStream ofClient2 = client2.openEvents("/events/jobs");
             EventStream ofReseller1 = reseller1.openEvents("/events/jobs");
             EventStream ofReseller2 = reseller2.openEvents("/events/jobs")) {
            for (EventStream stream : List.of(ofClient1, ofClient2, ofReseller1, ofReseller2)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.contentType()).startsWith("text/event-stream");
            }

            Job ofFirstClient = enqueueSteps(fixture.client1User, fixture.client1.id(), 3, 20);
            Job ofSecondClient = enqueueSteps(fixture.client2User, fixture.client2.id(), 3, 20);

            // Each stream hears its own tenants' job through to its end...
            ofClient1.await(finalStatusOf(ofFirstClient), PATIENCE);
            ofReseller1.await(finalStatusOf(ofFirstClient), PATIENCE);
            ofClient2.await(finalStatusOf(ofSecondClient), PATIENCE);
            ofReseller2.await(finalStatusOf(ofSecondClient), PATIENCE);
            // ...and, given time for anything else to arrive, nothing of the other subtree.
            TestJobTypes.sleep(QUIET.toMillis());

            assertThat(jobsHeardOf(ofClient1)).containsExactly(ofFirstClient.id());
            assertThat(jobsHeardOf(ofReseller1)).containsExactly(ofFirstClient.id());
            assertThat(jobsHeardOf(ofClient2)).containsExactly(ofSecondClient.id());
            assertThat(jobsHeardOf(ofReseller2)).containsExactly(ofSecondClient.id());
            // The whole life of the job: queued, running, succeeded, as status chips.
            assertThat(ofClient1.received("status-" + ofFirstClient.id())).extracting(EventStream.Event::data)
                    .anyMatch(chip -> chip.contains(">queued<")).anyMatch(chip -> chip.contains(">running<"))
                    .anyMatch(chip -> chip.contains(">succeeded<"));
            // An overview stream carries status changes only, never log lines or another stream's summaries.
            assertThat(ofClient1.received()).extracting(EventStream.Event::name).allMatch(name -> name.startsWith("status-")
                    || name.equals("job-status"));
            assertThat(ofClient2.received()).noneMatch(event -> event.data().contains(ofFirstClient.id()));
        }
    }

    @Test
    void aJobOutsideTheUsersSubtreeHasNoStream() {
        Job job = enqueueSteps(fixture.client1User, fixture.client1.id(), 1, 1);
        watch.awaitFinal(job.id());

        for (PanelClient outsider : List.of(client2, reseller2)) {
            HttpResponse<String> refused = outsider.peekStream("/events/jobs/" + job.id());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain("step 1 of 1");
        }
        HttpResponse<String> parent = reseller1.peekStream("/events/jobs/" + job.id());
        assertThat(parent.statusCode()).isEqualTo(200);
        assertThat(parent.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        // Nor does a job that does not exist, or junk in its place.
        assertThat(client1.peekStream("/events/jobs/job_zzzzzzzzzzzzzzzzzzzz").statusCode()).isEqualTo(404);
        assertThat(client1.peekStream("/events/jobs/not-a-job").statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ (b) resuming with Last-Event-ID

    @Test
    void aResumedStreamGetsExactlyTheLinesAfterTheLastOneSeen() {
        Job job = enqueueSteps(fixture.client1User, fixture.client1.id(), 6, 1);
        assertThat(watch.awaitFinal(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        List<JobLogLine> lines = watch.log(job.id());
        assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
        int k = 3;
        List<JobLogLine> missed = lines.subList(k, lines.size());
        String lastSeen = Long.toString(lines.get(k - 1).seq());

        try (EventStream resumed = client1.openEvents("/events/jobs/" + job.id(), Map.of("Last-Event-ID", lastSeen))) {
            assertThat(logEventsOf(resumed, missed)).isEqualTo(missed.stream().map(JobLogLine::seq).toList());
        }
        try (EventStream resumed = client1.openEvents("/events/jobs/" + job.id() + "?after=" + lastSeen)) {
            assertThat(logEventsOf(resumed, missed)).isEqualTo(missed.stream().map(JobLogLine::seq).toList());
        }
    }

    @Test
    void aGarbledLastEventIdStartsFromTheBeginning() {
        Job job = enqueueSteps(fixture.client1User, fixture.client1.id(), 2, 1);
        watch.awaitFinal(job.id());
        List<JobLogLine> lines = watch.log(job.id());
        List<Long> all = lines.stream().map(JobLogLine::seq).toList();

        for (String garbled : List.of("abc", "-5", "1e3", "99999999999999999999999", "<script>", " ", "0x10")) {
            try (EventStream stream = client1.openEvents("/events/jobs/" + job.id(), Map.of("Last-Event-ID", garbled))) {
                assertThat(stream.status()).as("Last-Event-ID [%s]", garbled).isEqualTo(200);
                assertThat(logEventsOf(stream, lines)).as("Last-Event-ID [%s]", garbled).isEqualTo(all);
            }
        }
        try (EventStream stream = client1.openEvents("/events/jobs/" + job.id() + "?after=garbage")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(logEventsOf(stream, lines)).isEqualTo(all);
        }
    }

    /**
     * Waits for the log events of {@code expected} (the last one, then a quiet spell for any duplicate or stray line)
     * and returns the ids of every log event received, in order, after checking each carries its line's text.
     */
    private static List<Long> logEventsOf(EventStream stream, List<JobLogLine> expected) {
        String last = Long.toString(expected.getLast().seq());
        stream.await(event -> event.name().equals("log") && last.equals(event.id()), PATIENCE);
        TestJobTypes.sleep(QUIET.toMillis());
        List<EventStream.Event> logs = stream.received("log");
        for (EventStream.Event event : logs) {
            JobLogLine line = expected.stream().filter(l -> Long.toString(l.seq()).equals(event.id())).findFirst()
                    .orElseThrow(() -> new AssertionError("unexpected log event " + event));
            assertThat(event.data()).contains("data-seq=\"" + line.seq() + "\"").contains(escaped(line.line()));
        }
        return logs.stream().map(event -> Long.parseLong(event.id())).toList();
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
    }

    // ------------------------------------------------------------------ (c) live lines

    @Test
    void aRunningJobsLinesArriveAsTheyAreWrittenEachOnce() {
        int steps = 6;
        Job job = enqueueSteps(fixture.client1User, fixture.client1.id(), steps, 250);

        try (EventStream stream = client1.openEvents("/events/jobs/" + job.id())) {
            assertThat(stream.status()).isEqualTo(200);
            EventStream.Event first = stream.await(event -> event.name().equals("log") && event.data().contains("step 1 of " + steps), PATIENCE);
            // The first step reached the browser while the job still had most of its work ahead: it is live, not replayed.
            assertThat(watch.current(job.id()).status()).isEqualTo(JobStatus.RUNNING);
            stream.await(event -> event.name().equals("status") && event.data().contains(">succeeded<"), PATIENCE);
            EventStream.Event lastStep = stream.received("log").stream().filter(event -> event.data().contains("step " + steps + " of " + steps))
                    .findFirst().orElseThrow();
            // Five more steps at 250 ms each came one by one, not in one burst at the end.
            assertThat(Duration.between(first.receivedAt(), lastStep.receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            TestJobTypes.sleep(QUIET.toMillis());

            List<JobLogLine> stored = watch.log(job.id());
            assertThat(stream.received("log")).extracting(EventStream.Event::id)
                    .containsExactlyElementsOf(stored.stream().map(line -> Long.toString(line.seq())).toList());
            assertThat(stream.received("summary")).extracting(EventStream.Event::data).contains("all " + steps + " steps done");
        }
    }
}
