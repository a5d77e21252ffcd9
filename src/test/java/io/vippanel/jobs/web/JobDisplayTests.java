package io.vippanel.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How the jobs pages write times, durations, summaries and JSON values. */
class JobDisplayTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant QUEUED = Instant.parse("2026-11-25T23:59:58Z");

    @Test
    void datesAreUtcAndShortenToTheTimeOnTheSameDay() {
        assertThat(JobDisplay.dateTime(QUEUED)).isEqualTo("25 Nov 2026, 23:59:58");
        assertThat(JobDisplay.dateTimeNear(QUEUED.plusSeconds(1), QUEUED)).isEqualTo("23:59:59");
        assertThat(JobDisplay.dateTimeNear(QUEUED.plusSeconds(3), QUEUED)).as("past midnight UTC").isEqualTo("26 Nov 2026, 00:00:01");
    }

    @Test
    void durationsReadNaturallyAndOnlyOnceTheJobHasFinished() {
        assertThat(JobDisplay.duration(job(JobStatus.QUEUED, null, null, null))).isEqualTo("—");
        assertThat(JobDisplay.duration(job(JobStatus.RUNNING, null, QUEUED, null))).as("a running time would freeze").isEqualTo("—");
        assertThat(JobDisplay.duration(finishedAfter(Duration.ofMillis(850)))).isEqualTo("850 ms");
        assertThat(JobDisplay.duration(finishedAfter(Duration.ofMillis(4_240)))).isEqualTo("4.2 s");
        assertThat(JobDisplay.duration(finishedAfter(Duration.ofSeconds(42)))).isEqualTo("42 s");
        assertThat(JobDisplay.duration(finishedAfter(Duration.ofSeconds(185)))).isEqualTo("3 min 5 s");
        assertThat(JobDisplay.duration(finishedAfter(Duration.ofMinutes(125)))).isEqualTo("2 h 5 min");
    }

    @Test
    void aJobWithoutASummarySaysWhereItStands() {
        assertThat(JobDisplay.summary(job(JobStatus.QUEUED, null, null, null))).isEqualTo("Waiting for a worker.");
        assertThat(JobDisplay.summary(job(JobStatus.RUNNING, null, QUEUED, null))).isEqualTo("Running.");
        assertThat(JobDisplay.summary(job(JobStatus.RUNNING, "Retrying after: timeout", QUEUED, null))).isEqualTo("Retrying after: timeout");
        assertThat(JobDisplay.summary(job(JobStatus.CANCELLED, null, null, QUEUED))).isEmpty();
    }

    @Test
    void jsonValuesAreTextUnlessStructured() {
        var result = JSON.readTree("""
                {"host": "web-1", "ok": 5, "recap": {"web-1": {"changed": 2}}, "none": {}}""");
        assertThat(JobDisplay.value(result.get("host"))).isEqualTo("web-1");
        assertThat(JobDisplay.value(result.get("ok"))).isEqualTo("5");
        assertThat(JobDisplay.structured(result.get("recap"))).isTrue();
        assertThat(JobDisplay.value(result.get("recap"))).contains("\n").contains("\"changed\" : 2");
        assertThat(JobDisplay.structured(result.get("none"))).isFalse();
    }

    private static Job finishedAfter(Duration duration) {
        return job(JobStatus.SUCCEEDED, "done", QUEUED, QUEUED.plus(duration));
    }

    private static Job job(JobStatus status, @Nullable String summary, @Nullable Instant startedAt, @Nullable Instant finishedAt) {
        return new Job("job_1", "ten_1", "/ten_1/", "Tenant", "test.steps", "Test", null, null, status, 1, 5,
                JSON.createObjectNode(), JSON.createObjectNode(), summary, false, null, null, null, null, QUEUED, startedAt,
                finishedAt, null);
    }
}
