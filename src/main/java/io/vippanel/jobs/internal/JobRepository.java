package io.vippanel.jobs.internal;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobFilter;
import io.vippanel.jobs.JobLogLevel;
import io.vippanel.jobs.JobLogLine;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.NewJob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Job records and their log lines. Callers bring the transaction and the tenant scope. */
@Repository
public class JobRepository {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Longer lines are cut: a log line is for reading, and live events must stay small. */
    public static final int MAX_LINE_LENGTH = 2_000;

    private static final String SELECT = """
            SELECT j.*, t.path AS tenant_path, t.name AS tenant_name
              FROM jobs j JOIN tenants t ON t.id = j.tenant_id
            """;
    private static final String FILTER = """
             WHERE starts_with(t.path, :scope)
               AND (CAST(:status AS text) IS NULL OR j.status = CAST(:status AS text))
               AND (CAST(:type AS text) IS NULL OR j.type = CAST(:type AS text))
               AND (CAST(:target AS text) IS NULL OR j.target_id = CAST(:target AS text) OR j.id = CAST(:target AS text))
               AND (CAST(:from AS timestamptz) IS NULL OR j.queued_at >= CAST(:from AS timestamptz))
               AND (CAST(:to AS timestamptz) IS NULL OR j.queued_at < CAST(:to AS timestamptz))
            """;

    private final JdbcClient jdbc;

    public JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(String id, NewJob job, int maxAttempts, @Nullable String rerunOf, Instant now) {
        jdbc.sql("""
                INSERT INTO jobs (id, tenant_id, type, title, target_type, target_id, status, max_attempts, params,
                                  rerun_of, created_by, created_by_email, queued_at)
                VALUES (:id, :tenant, :type, :title, :ttype, :tid, 'queued', :max, CAST(:params AS jsonb),
                        :rerun, :by, :email, :now)
                """)
                .param("id", id).param("tenant", job.tenantId()).param("type", job.type()).param("title", job.title())
                .param("ttype", job.targetType()).param("tid", job.targetId()).param("max", maxAttempts)
                .param("params", JSON.writeValueAsString(job.params())).param("rerun", rerunOf)
                .param("by", job.startedBy() == null ? null : job.startedBy().userId())
                .param("email", job.startedBy() == null ? null : job.startedBy().email())
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<Job> find(String id) {
        return jdbc.sql(SELECT + " WHERE j.id = :id").param("id", id).query(JobRepository::map).optional();
    }

    /** Reads and locks the row for the worker that is about to run or finish it. */
    public Optional<Job> lock(String id) {
        return jdbc.sql(SELECT + " WHERE j.id = :id FOR UPDATE OF j").param("id", id).query(JobRepository::map).optional();
    }

    public List<Job> list(String scope, JobFilter filter, int limit, int offset) {
        return filtered(SELECT + FILTER + " ORDER BY j.queued_at DESC, j.id LIMIT :limit OFFSET :offset", scope, filter)
                .param("limit", limit).param("offset", offset).query(JobRepository::map).list();
    }

    public long count(String scope, JobFilter filter) {
        return filtered("SELECT count(*) FROM jobs j JOIN tenants t ON t.id = j.tenant_id" + FILTER, scope, filter)
                .query(Long.class).single();
    }

    public List<String> types(String scope) {
        return jdbc.sql("SELECT DISTINCT j.type FROM jobs j JOIN tenants t ON t.id = j.tenant_id WHERE starts_with(t.path, :scope) ORDER BY 1")
                .param("scope", scope).query(String.class).list();
    }

    private JdbcClient.StatementSpec filtered(String sql, String scope, JobFilter filter) {
        return jdbc.sql(sql).param("scope", scope)
                .param("status", filter.status() == null ? null : filter.status().key())
                .param("type", blankToNull(filter.type())).param("target", blankToNull(filter.target()))
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()));
    }

    public void markRunning(String id, int attempt, String worker, Instant now) {
        jdbc.sql("""
                UPDATE jobs SET status = 'running', attempts = :attempt, worker = :worker, next_attempt_at = NULL,
                       started_at = coalesce(started_at, :now)
                 WHERE id = :id
                """).param("id", id).param("attempt", attempt).param("worker", worker).param("now", Timestamp.from(now)).update();
    }

    public void markQueuedForRetry(String id, String reason, Instant nextAttemptAt) {
        jdbc.sql("UPDATE jobs SET status = 'queued', summary = :reason, next_attempt_at = :next WHERE id = :id")
                .param("id", id).param("reason", reason).param("next", Timestamp.from(nextAttemptAt)).update();
    }

    public void finish(String id, JobStatus status, @Nullable String summary, Map<String, ?> result, Instant now) {
        jdbc.sql("""
                UPDATE jobs SET status = :status, summary = :summary, result = CAST(:result AS jsonb),
                       finished_at = :now, next_attempt_at = NULL
                 WHERE id = :id
                """).param("id", id).param("status", status.key()).param("summary", summary)
                .param("result", JSON.writeValueAsString(result)).param("now", Timestamp.from(now)).update();
    }

    /** Cancels a job that has not started; false when it started (or ended) in the meantime. */
    public boolean cancelQueued(String id, Instant now) {
        return jdbc.sql("""
                UPDATE jobs SET status = 'cancelled', cancel_requested = true, finished_at = :now, next_attempt_at = NULL,
                       summary = 'Cancelled before it ran.'
                 WHERE id = :id AND status = 'queued'
                """).param("id", id).param("now", Timestamp.from(now)).update() == 1;
    }

    public boolean deleteUnclaimedExecution(String taskName, String jobId) {
        return jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id AND NOT picked")
                .param("task", taskName).param("id", jobId).update() == 1;
    }

    public void requestCancel(String id) {
        jdbc.sql("UPDATE jobs SET cancel_requested = true WHERE id = :id AND status IN ('queued', 'running')").param("id", id).update();
    }

    public List<String> cancelRequestedAmong(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM jobs WHERE id IN (:ids) AND cancel_requested").param("ids", ids)
                .query(String.class).list();
    }

    public JobLogLine appendLog(Job job, JobLogLevel level, String line, Instant at) {
        String stored = line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + " …" : line;
        long seq = jdbc.sql("INSERT INTO job_log (tenant_id, job_id, at, level, line) VALUES (:tenant, :job, :at, :level, :line) RETURNING seq")
                .param("tenant", job.tenantId()).param("job", job.id()).param("at", Timestamp.from(at))
                .param("level", level.key()).param("line", stored).query(Long.class).single();
        return new JobLogLine(seq, job.id(), at, level, stored);
    }

    public List<JobLogLine> log(String scope, String jobId, long afterSeq, int limit) {
        return jdbc.sql("""
                SELECT l.* FROM job_log l JOIN tenants t ON t.id = l.tenant_id
                 WHERE l.job_id = :job AND l.seq > :after AND starts_with(t.path, :scope)
                 ORDER BY l.seq LIMIT :limit
                """)
                .param("job", jobId).param("after", afterSeq).param("scope", scope).param("limit", limit)
                .query((rs, row) -> new JobLogLine(rs.getLong("seq"), rs.getString("job_id"),
                        rs.getTimestamp("at").toInstant(), JobLogLevel.of(rs.getString("level")), rs.getString("line")))
                .list();
    }

    /** Removes finished jobs (and, by cascade, their logs) older than the retention; returns how many. */
    public int pruneFinishedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM jobs WHERE finished_at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static Job map(ResultSet rs, int row) throws SQLException {
        return new Job(rs.getString("id"), rs.getString("tenant_id"), rs.getString("tenant_path"), rs.getString("tenant_name"),
                rs.getString("type"), rs.getString("title"), rs.getString("target_type"), rs.getString("target_id"),
                JobStatus.of(rs.getString("status")), rs.getInt("attempts"), rs.getInt("max_attempts"),
                json(rs.getString("params")), json(rs.getString("result")), rs.getString("summary"),
                rs.getBoolean("cancel_requested"), rs.getString("rerun_of"), rs.getString("created_by"),
                rs.getString("created_by_email"), rs.getString("worker"), rs.getTimestamp("queued_at").toInstant(),
                instant(rs, "started_at"), instant(rs, "finished_at"), instant(rs, "next_attempt_at"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode object) {
        return JSON.convertValue(object, Map.class);
    }

    private static JsonNode json(String value) {
        return JSON.readTree(value);
    }
}
