package io.vippanel.jobs;

import java.time.Instant;

/** One line of a job's log; {@code seq} orders lines and is the SSE event id used to resume a stream. */
public record JobLogLine(long seq, String jobId, Instant at, JobLogLevel level, String line) {
}
