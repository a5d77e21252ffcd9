package io.vippanel.sites;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One deployment or rollback of a site: who asked, what it deployed, how long each step took, and its job (whose
 * log is the deployment's log).
 *
 * @param kind          {@code deploy} or {@code rollback}
 * @param trigger       {@code create}, {@code manual}, {@code webhook}, {@code environment} or {@code rollback}
 * @param releasePruned whether the release folder is gone from the server (no rollback to it)
 * @param rollbackOf    for a rollback: the deployment whose release it restored
 */
public record Deployment(String id, String siteId, String kind, String trigger, @Nullable String release,
                         boolean releasePruned, @Nullable String commitHash, @Nullable String commitMessage,
                         @Nullable String branch, @Nullable String rollbackOf, DeploymentStatus status,
                         @Nullable String failedStep, @Nullable String statusNote, List<Step> steps,
                         @Nullable String jobId, @Nullable String requestedByName, @Nullable Instant startedAt,
                         @Nullable Instant finishedAt, @Nullable Long durationMillis, Instant createdAt) {

    /** A deploy step and how long it ran. */
    public record Step(String name, long millis) {
    }
}
