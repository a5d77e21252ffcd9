package io.vippanel.jobs;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Narrows a job list; every part is optional. {@code target} matches a target id or a job id. */
public record JobFilter(@Nullable JobStatus status, @Nullable String type, @Nullable String target,
                        @Nullable Instant from, @Nullable Instant to) {

    public static JobFilter none() {
        return new JobFilter(null, null, null, null, null);
    }
}
