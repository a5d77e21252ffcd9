package io.vippanel.sites.internal;

import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploymentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Deployments and rollbacks of sites, and the webhook deliveries already taken. */
@Repository
public class DeploymentRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT d.* FROM site_deployments d JOIN tenants t ON t.id = d.tenant_id
            """;

    private final JdbcClient jdbc;

    public DeploymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A deployment to record as queued. */
    public record NewRow(String id, String tenantId, String siteId, String kind, String trigger, @Nullable String release,
                         @Nullable String commitHash, @Nullable String commitMessage, @Nullable String branch,
                         @Nullable String rollbackOf, @Nullable String requestedBy, @Nullable String requestedByName) {
    }

    public void insert(NewRow row, Instant now) {
        jdbc.sql("""
                INSERT INTO site_deployments (id, tenant_id, site_id, kind, trigger, release, commit_hash, commit_message, branch,
                                              rollback_of, status, requested_by, requested_by_name, created_at)
                VALUES (:id, :tenant, :site, :kind, :trigger, :release, :commit, :message, :branch, :rollbackOf, 'queued', :by,
                        :byName, :now)
                """).param("id", row.id()).param("tenant", row.tenantId()).param("site", row.siteId()).param("kind", row.kind())
                .param("trigger", row.trigger()).param("release", row.release()).param("commit", row.commitHash())
                .param("message", row.commitMessage()).param("branch", row.branch()).param("rollbackOf", row.rollbackOf())
                .param("by", row.requestedBy()).param("byName", row.requestedByName()).param("now", Timestamp.from(now)).update();
    }

    public void setJob(String id, String jobId) {
        jdbc.sql("UPDATE site_deployments SET job_id = :job WHERE id = :id").param("id", id).param("job", jobId).update();
    }

    public Optional<Deployment> find(String scope, String siteId, String id) {
        return jdbc.sql(SELECT + " WHERE d.id = :id AND d.site_id = :site AND starts_with(t.path, :scope)").param("id", id)
                .param("site", siteId).param("scope", scope).query(this::map).optional();
    }

    public List<Deployment> list(String scope, String siteId, int limit, int offset) {
        return jdbc.sql(SELECT + " WHERE d.site_id = :site AND starts_with(t.path, :scope) ORDER BY d.created_at DESC, d.id"
                        + " LIMIT :limit OFFSET :offset").param("site", siteId).param("scope", scope).param("limit", limit)
                .param("offset", offset).query(this::map).list();
    }

    public long count(String siteId) {
        return jdbc.sql("SELECT count(*) FROM site_deployments WHERE site_id = :site").param("site", siteId).query(Long.class).single();
    }

    /** The deployment or rollback of the site that is queued or running, if any. */
    public Optional<String> active(String siteId) {
        return jdbc.sql("SELECT id FROM site_deployments WHERE site_id = :site AND status IN ('queued', 'running') LIMIT 1")
                .param("site", siteId).query(String.class).optional();
    }

    public void start(String id, Instant now) {
        jdbc.sql("UPDATE site_deployments SET status = 'running', started_at = coalesce(started_at, :now), failed_step = NULL,"
                + " status_note = NULL WHERE id = :id").param("id", id).param("now", Timestamp.from(now)).update();
    }

    /** What a finished deployment records. */
    public record Finish(DeploymentStatus status, @Nullable String release, @Nullable String commitHash,
                         @Nullable String commitMessage, List<Deployment.Step> steps, @Nullable String failedStep,
                         @Nullable String note) {
    }

    public void finish(String id, Finish finish, Instant now) {
        List<java.util.Map<String, Object>> steps = new ArrayList<>();
        finish.steps().forEach(step -> steps.add(java.util.Map.of("step", step.name(), "millis", step.millis())));
        jdbc.sql("""
                UPDATE site_deployments SET status = :status, release = coalesce(:release, release),
                       commit_hash = coalesce(:commit, commit_hash), commit_message = coalesce(:message, commit_message),
                       steps = CAST(:steps AS jsonb), failed_step = :failedStep, status_note = :note, finished_at = :now,
                       started_at = coalesce(started_at, :now),
                       duration_ms = (extract(epoch FROM (CAST(:now AS timestamptz) - coalesce(started_at, :now))) * 1000)::bigint
                 WHERE id = :id""").param("id", id).param("status", finish.status().key()).param("release", finish.release())
                .param("commit", finish.commitHash()).param("message", truncate(finish.commitMessage(), 1000))
                .param("steps", JSON.writeValueAsString(steps)).param("failedStep", truncate(finish.failedStep(), 500))
                .param("note", truncate(finish.note(), 2000)).param("now", Timestamp.from(now)).update();
    }

    /** Marks the site's deployments whose release folder is no longer among {@code kept} on the server. */
    public void markPruned(String siteId, List<String> kept) {
        jdbc.sql("""
                UPDATE site_deployments SET release_pruned = true
                 WHERE site_id = :site AND release IS NOT NULL AND NOT release_pruned AND NOT (release = ANY (CAST(:kept AS text[])))
                """).param("site", siteId).param("kept", SiteRepository.textArray(kept)).update();
    }

    /** Records a webhook delivery; false when the same delivery was taken before (a replay). */
    public boolean recordDelivery(String siteId, String deliveryId, Instant now) {
        return jdbc.sql("""
                INSERT INTO site_webhook_deliveries (site_id, delivery_id, received_at) VALUES (:site, :delivery, :now)
                ON CONFLICT DO NOTHING""").param("site", siteId).param("delivery", deliveryId).param("now", Timestamp.from(now))
                .update() == 1;
    }

    private static @Nullable String truncate(@Nullable String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private Deployment map(ResultSet rs, int row) throws SQLException {
        List<Deployment.Step> steps = new ArrayList<>();
        JsonNode stored = JSON.readTree(rs.getString("steps"));
        stored.forEach(step -> steps.add(new Deployment.Step(step.path("step").asString(""), step.path("millis").asLong(0))));
        long duration = rs.getLong("duration_ms");
        Long durationMillis = rs.wasNull() ? null : duration;
        return new Deployment(rs.getString("id"), rs.getString("site_id"), rs.getString("kind"), rs.getString("trigger"),
                rs.getString("release"), rs.getBoolean("release_pruned"), rs.getString("commit_hash"), rs.getString("commit_message"),
                rs.getString("branch"), rs.getString("rollback_of"), DeploymentStatus.fromKey(rs.getString("status")),
                rs.getString("failed_step"), rs.getString("status_note"), List.copyOf(steps), rs.getString("job_id"),
                rs.getString("requested_by_name"), instant(rs, "started_at"), instant(rs, "finished_at"), durationMillis,
                rs.getTimestamp("created_at").toInstant());
    }
}
