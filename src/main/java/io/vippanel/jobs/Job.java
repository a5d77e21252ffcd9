package io.vippanel.jobs;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One job run as the panel shows it: what, for whom, on what, where it stands and how it ended. */
public record Job(String id, String tenantId, String tenantPath, String tenantName, String type, String title,
                  @Nullable String targetType, @Nullable String targetId, JobStatus status, int attempts,
                  int maxAttempts, JsonNode params, JsonNode result, @Nullable String summary,
                  boolean cancelRequested, @Nullable String rerunOf, @Nullable String createdBy,
                  @Nullable String createdByEmail, @Nullable String worker, Instant queuedAt,
                  @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable Instant nextAttemptAt) {

    public boolean cancellable() {
        return !status.isFinal();
    }

    public boolean rerunnable() {
        return status == JobStatus.FAILED || status == JobStatus.CANCELLED;
    }

    /** How long the job ran (or has been running), when it has started. */
    public @Nullable Duration duration(Instant now) {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt == null ? now : finishedAt);
    }
}
