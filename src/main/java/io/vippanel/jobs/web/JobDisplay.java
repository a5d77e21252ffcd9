package io.vippanel.jobs.web;

import io.vippanel.jobs.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** How the jobs pages write times, durations and JSON values: short, in UTC, the same on every page. */
public final class JobDisplay {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private JobDisplay() {
    }

    /** "26 Nov 2026, 09:41:07". */
    public static String dateTime(Instant at) {
        return DATE_TIME.format(at);
    }

    /** Only the time of day when {@code at} falls on the same UTC day as {@code reference}: rows stay short. */
    public static String dateTimeNear(Instant at, Instant reference) {
        boolean sameDay = at.atOffset(ZoneOffset.UTC).toLocalDate().equals(reference.atOffset(ZoneOffset.UTC).toLocalDate());
        return sameDay ? TIME.format(at) : DATE_TIME.format(at);
    }

    /**
     * How long a finished job took: "850 ms", "4.2 s", "42 s", "3 min 5 s", "2 h 5 min". A dash until it finishes:
     * a running time would be frozen at the moment the page was drawn.
     */
    public static String duration(Job job) {
        Duration duration = job.finishedAt() == null ? null : job.duration(job.finishedAt());
        if (duration == null) {
            return "—";
        }
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1_000.0);
        }
        long seconds = millis / 1_000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
    }

    /** The job's own summary, or what its status says while it has none yet. */
    public static String summary(Job job) {
        if (job.summary() != null && !job.summary().isBlank()) {
            return job.summary();
        }
        return switch (job.status()) {
            case QUEUED -> "Waiting for a worker.";
            case RUNNING -> "Running.";
            case SUCCEEDED, FAILED, CANCELLED -> "";
        };
    }

    /** A JSON value as a person reads it: text without quotes, anything structured indented. */
    public static String value(JsonNode node) {
        return node.isValueNode() ? node.asString() : node.toPrettyString();
    }

    /** Whether a value is structured (and so shown as an indented block rather than inline text). */
    public static boolean structured(JsonNode node) {
        return node.isContainer() && !node.isEmpty();
    }
}
