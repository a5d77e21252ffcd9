package io.vippanel.jobs;

import java.util.Map;

/** How a successful run ended: a one-line summary and structured results stored with the job. */
public record JobOutcome(String summary, Map<String, ?> result) {

    public static JobOutcome of(String summary) {
        return new JobOutcome(summary, Map.of());
    }
}
