package io.vippanel.sites.internal;

import io.vippanel.sites.SiteCronJob;
import io.vippanel.sites.SiteDatabase;
import io.vippanel.sites.SiteWorker;
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

/**
 * A site's databases, cron jobs and workers. Callers have already loaded the site in their scope (row-level
 * security checks the tenant again); every read is by site.
 */
@Repository
public class SiteServiceRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public SiteServiceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A database row, its password still sealed. */
    public record DatabaseRow(String id, String tenantId, String siteId, String serverId, String engine, String name,
                              String username, String sealedPassword, String status, @Nullable String statusNote,
                              Instant createdAt) {

        public SiteDatabase view() {
            return new SiteDatabase(id, siteId, engine, name, username, status, statusNote, createdAt);
        }
    }

    // --- databases

    public void insertDatabase(DatabaseRow row, @Nullable String createdBy) {
        jdbc.sql("""
                INSERT INTO site_databases (id, tenant_id, site_id, server_id, engine, name, username, password, status, created_by, created_at)
                VALUES (:id, :tenant, :site, :server, :engine, :name, :user, :password, 'pending', :by, :now)
                """).param("id", row.id()).param("tenant", row.tenantId()).param("site", row.siteId()).param("server", row.serverId())
                .param("engine", row.engine()).param("name", row.name()).param("user", row.username())
                .param("password", row.sealedPassword()).param("by", createdBy).param("now", Timestamp.from(row.createdAt())).update();
    }

    public List<DatabaseRow> databases(String siteId) {
        return jdbc.sql("SELECT * FROM site_databases WHERE site_id = :site ORDER BY created_at, id").param("site", siteId)
                .query(this::database).list();
    }

    public Optional<DatabaseRow> database(String siteId, String id) {
        return jdbc.sql("SELECT * FROM site_databases WHERE site_id = :site AND id = :id").param("site", siteId).param("id", id)
                .query(this::database).optional();
    }

    /** Whether a database or user of this name exists on the server, for any tenant's site (past row-level security). */
    public boolean databaseNameTaken(String serverId, String name) {
        return jdbc.sql("SELECT vip_database_name_taken(:server, :name)").param("server", serverId).param("name", name)
                .query(Boolean.class).single();
    }

    public void setDatabaseStatus(String id, String status, @Nullable String note) {
        jdbc.sql("UPDATE site_databases SET status = :status, status_note = :note WHERE id = :id").param("id", id)
                .param("status", status).param("note", note).update();
    }

    public void setDatabasePassword(String id, String sealedPassword) {
        jdbc.sql("UPDATE site_databases SET password = :password, status = 'pending', status_note = NULL WHERE id = :id")
                .param("id", id).param("password", sealedPassword).update();
    }

    public void deleteDatabase(String id) {
        jdbc.sql("DELETE FROM site_databases WHERE id = :id").param("id", id).update();
    }

    private DatabaseRow database(ResultSet rs, int row) throws SQLException {
        return new DatabaseRow(rs.getString("id"), rs.getString("tenant_id"), rs.getString("site_id"), rs.getString("server_id"),
                rs.getString("engine"), rs.getString("name"), rs.getString("username"), rs.getString("password"),
                rs.getString("status"), rs.getString("status_note"), rs.getTimestamp("created_at").toInstant());
    }

    // --- cron jobs

    public void insertCronJob(SiteCronJob job, String tenantId, @Nullable String createdBy) {
        jdbc.sql("""
                INSERT INTO site_cron_jobs (id, tenant_id, site_id, expression, command, description, status, created_by, created_at)
                VALUES (:id, :tenant, :site, :expression, :command, :description, :status, :by, :now)
                """).param("id", job.id()).param("tenant", tenantId).param("site", job.siteId()).param("expression", job.expression())
                .param("command", job.command()).param("description", job.description()).param("status", job.status())
                .param("by", createdBy).param("now", Timestamp.from(job.createdAt())).update();
    }

    public List<SiteCronJob> cronJobs(String siteId) {
        return jdbc.sql("SELECT * FROM site_cron_jobs WHERE site_id = :site ORDER BY created_at, id").param("site", siteId)
                .query(SiteServiceRepository::cronJob).list();
    }

    public Optional<SiteCronJob> cronJob(String siteId, String id) {
        return jdbc.sql("SELECT * FROM site_cron_jobs WHERE site_id = :site AND id = :id").param("site", siteId).param("id", id)
                .query(SiteServiceRepository::cronJob).optional();
    }

    public void setCronStatus(String id, String status) {
        jdbc.sql("UPDATE site_cron_jobs SET status = :status WHERE id = :id").param("id", id).param("status", status).update();
    }

    public void deleteCronJob(String id) {
        jdbc.sql("DELETE FROM site_cron_jobs WHERE id = :id").param("id", id).update();
    }

    private static SiteCronJob cronJob(ResultSet rs, int row) throws SQLException {
        return new SiteCronJob(rs.getString("id"), rs.getString("site_id"), rs.getString("expression"), rs.getString("command"),
                rs.getString("description"), rs.getString("status"), rs.getTimestamp("created_at").toInstant());
    }

    // --- workers

    public void insertWorker(SiteWorker worker, String tenantId, @Nullable String createdBy) {
        jdbc.sql("""
                INSERT INTO site_workers (id, tenant_id, site_id, name, command, processes, status, created_by, created_at)
                VALUES (:id, :tenant, :site, :name, CAST(:command AS jsonb), :processes, :status, :by, :now)
                """).param("id", worker.id()).param("tenant", tenantId).param("site", worker.siteId()).param("name", worker.name())
                .param("command", JSON.writeValueAsString(worker.command())).param("processes", worker.processes())
                .param("status", worker.status()).param("by", createdBy).param("now", Timestamp.from(worker.createdAt())).update();
    }

    public List<SiteWorker> workers(String siteId) {
        return jdbc.sql("SELECT * FROM site_workers WHERE site_id = :site ORDER BY created_at, id").param("site", siteId)
                .query(SiteServiceRepository::worker).list();
    }

    public Optional<SiteWorker> worker(String siteId, String id) {
        return jdbc.sql("SELECT * FROM site_workers WHERE site_id = :site AND id = :id").param("site", siteId).param("id", id)
                .query(SiteServiceRepository::worker).optional();
    }

    public boolean workerNameTaken(String siteId, String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM site_workers WHERE site_id = :site AND lower(name) = lower(:name))")
                .param("site", siteId).param("name", name).query(Boolean.class).single();
    }

    public void setWorkerStatus(String id, String status, @Nullable String note, @Nullable Instant checkedAt) {
        jdbc.sql("UPDATE site_workers SET status = :status, status_note = :note, checked_at = coalesce(:checked, checked_at) WHERE id = :id")
                .param("id", id).param("status", status).param("note", note)
                .param("checked", checkedAt == null ? null : Timestamp.from(checkedAt)).update();
    }

    public void deleteWorker(String id) {
        jdbc.sql("DELETE FROM site_workers WHERE id = :id").param("id", id).update();
    }

    private static SiteWorker worker(ResultSet rs, int row) throws SQLException {
        List<String> command = new ArrayList<>();
        JsonNode argv = JSON.readTree(rs.getString("command"));
        argv.forEach(argument -> command.add(argument.asString()));
        Timestamp checked = rs.getTimestamp("checked_at");
        return new SiteWorker(rs.getString("id"), rs.getString("site_id"), rs.getString("name"), List.copyOf(command),
                rs.getInt("processes"), rs.getString("status"), rs.getString("status_note"),
                checked == null ? null : checked.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
