package io.vippanel.sites.internal;

import io.vippanel.sites.DeploySource;
import io.vippanel.sites.DeploymentStatus;
import io.vippanel.sites.SiteStatus;
import io.vippanel.sites.SiteType;
import io.vippanel.sites.WafMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Site rows and the host names they hold. Reads filter by the scope's tenant path (row-level security checks it again). */
@Repository
public class SiteRepository {

    private static final String SELECT = """
            SELECT s.*, t.path AS tenant_path, v.name AS server_name
              FROM sites s JOIN tenants t ON t.id = s.tenant_id JOIN servers v ON v.id = s.server_id
            """;
    private static final String FILTER = """
             WHERE starts_with(t.path, :scope)
               AND (CAST(:server AS text) IS NULL OR s.server_id = :server)
               AND (CAST(:search AS text) IS NULL OR s.domain ILIKE '%' || :search || '%' OR s.id = :search
                    OR :search = ANY (s.aliases))
            """;

    private final JdbcClient jdbc;

    public SiteRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything a new site row needs. */
    public record NewRow(String id, String tenantId, String serverId, SiteType type, String domain, List<String> aliases,
                         boolean redirectAliases, String webRoot, @Nullable String phpVersion, @Nullable Integer appPort,
                         String systemUser, DeploySource deploySource, @Nullable String repositoryUrl,
                         @Nullable String branch, String sealedDeployKey, String deployKeyPublic, String deployScript,
                         List<String> sharedPaths, int keepReleases, String sealedWebhookSecret,
                         @Nullable String createdBy) {
    }

    public void insert(NewRow row, Instant now) {
        jdbc.sql("""
                INSERT INTO sites (id, tenant_id, server_id, type, domain, aliases, redirect_aliases, web_root, php_version,
                                   app_port, "system_user", deploy_source, repository_url, branch, deploy_key_private,
                                   deploy_key_public, deploy_script, shared_paths, keep_releases, webhook_secret, status,
                                   created_by, created_at)
                VALUES (:id, :tenant, :server, :type, :domain, CAST(:aliases AS text[]), :redirect, :webRoot, :php, :port,
                        :user, :source, :repo, :branch, :key, :publicKey, :script, CAST(:shared AS text[]), :keep, :webhook,
                        'queued', :by, :now)
                """).param("id", row.id()).param("tenant", row.tenantId()).param("server", row.serverId())
                .param("type", row.type().key()).param("domain", row.domain()).param("aliases", textArray(row.aliases()))
                .param("redirect", row.redirectAliases()).param("webRoot", row.webRoot()).param("php", row.phpVersion())
                .param("port", row.appPort()).param("user", row.systemUser()).param("source", row.deploySource().key())
                .param("repo", row.repositoryUrl()).param("branch", row.branch()).param("key", row.sealedDeployKey())
                .param("publicKey", row.deployKeyPublic()).param("script", row.deployScript())
                .param("shared", textArray(row.sharedPaths())).param("keep", row.keepReleases())
                .param("webhook", row.sealedWebhookSecret()).param("by", row.createdBy()).param("now", Timestamp.from(now))
                .update();
        replaceHostNames(row.tenantId(), row.id(), concat(row.domain(), row.aliases()));
    }

    /** Makes the site's claimed host names exactly these (the primary key on the name keeps them unique over all tenants). */
    public void replaceHostNames(String tenantId, String siteId, List<String> names) {
        jdbc.sql("DELETE FROM site_domains WHERE site_id = :site").param("site", siteId).update();
        for (String name : names) {
            jdbc.sql("INSERT INTO site_domains (domain, tenant_id, site_id) VALUES (:domain, :tenant, :site)")
                    .param("domain", name).param("tenant", tenantId).param("site", siteId).update();
        }
    }

    /** Whether a site other than {@code siteId} (of any tenant) answers to this name. */
    public boolean hostNameTaken(String name, @Nullable String siteId) {
        return jdbc.sql("SELECT vip_site_domain_taken(:name, :site)").param("name", name).param("site", siteId)
                .query(Boolean.class).single();
    }

    /** The name of the nearest tenant (itself or above) whose site limit is reached, if any. */
    public Optional<String> limitReachedAt(String tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('vip.sites.limit'))").query().singleRow();
        return jdbc.sql("SELECT full_tenant FROM vip_site_limit_reached(:id) AS full_tenant WHERE full_tenant IS NOT NULL")
                .param("id", tenantId).query(String.class).optional();
    }

    public boolean systemUserTaken(String serverId, String user) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM sites WHERE server_id = :server AND \"system_user\" = :user)")
                .param("server", serverId).param("user", user).query(Boolean.class).single();
    }

    /** The lowest free app port from {@code first} on the server (its sites all belong to the server's tenant). */
    public int freeAppPort(String serverId, int first) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:key))").param("key", "vip.sites.port." + serverId).query().singleRow();
        return jdbc.sql("""
                SELECT min(p) FROM generate_series(:first, 65535) AS p
                 WHERE NOT EXISTS (SELECT 1 FROM sites WHERE server_id = :server AND app_port = p)
                """).param("first", first).param("server", serverId).query(Integer.class).single();
    }

    public Optional<SiteRecord> find(String scope, String id) {
        return jdbc.sql(SELECT + " WHERE s.id = :id AND starts_with(t.path, :scope)").param("id", id).param("scope", scope)
                .query(this::map).optional();
    }

    public List<SiteRecord> list(String scope, @Nullable String serverId, @Nullable String search, int limit, int offset) {
        return jdbc.sql(SELECT + FILTER + " ORDER BY s.created_at DESC, s.id LIMIT :limit OFFSET :offset")
                .param("scope", scope).param("server", serverId).param("search", search).param("limit", limit)
                .param("offset", offset).query(this::map).list();
    }

    public long count(String scope, @Nullable String serverId, @Nullable String search) {
        return jdbc.sql("SELECT count(*) FROM sites s JOIN tenants t ON t.id = s.tenant_id" + FILTER)
                .param("scope", scope).param("server", serverId).param("search", search).query(Long.class).single();
    }

    /** The settings people change after creation. */
    public record Settings(List<String> aliases, boolean redirectAliases, String webRoot, @Nullable String phpVersion,
                           DeploySource deploySource, @Nullable String repositoryUrl, @Nullable String branch,
                           String deployScript, List<String> sharedPaths, int keepReleases, boolean deployOnEnvChange,
                           String nginxCustom) {
    }

    public void updateSettings(String id, Settings settings) {
        jdbc.sql("""
                UPDATE sites SET aliases = CAST(:aliases AS text[]), redirect_aliases = :redirect, web_root = :webRoot,
                       php_version = :php, deploy_source = :source, repository_url = :repo, branch = :branch,
                       deploy_script = :script, shared_paths = CAST(:shared AS text[]), keep_releases = :keep,
                       deploy_on_env_change = :onEnv, nginx_custom = :nginx
                 WHERE id = :id""").param("id", id).param("aliases", textArray(settings.aliases()))
                .param("redirect", settings.redirectAliases()).param("webRoot", settings.webRoot()).param("php", settings.phpVersion())
                .param("source", settings.deploySource().key()).param("repo", settings.repositoryUrl()).param("branch", settings.branch())
                .param("script", settings.deployScript()).param("shared", textArray(settings.sharedPaths()))
                .param("keep", settings.keepReleases()).param("onEnv", settings.deployOnEnvChange())
                .param("nginx", settings.nginxCustom()).update();
    }

    /** Locks the site's row until the transaction ends, so that two requests cannot both start work on it. */
    public void lock(String id) {
        jdbc.sql("SELECT id FROM sites WHERE id = :id FOR UPDATE").param("id", id).query(String.class).optional();
    }

    /** The address the site's server answers HTTP on (IPv4 when it has one). */
    public Optional<String> serverAddress(String siteId) {
        return jdbc.sql("SELECT coalesce(v.ipv4, v.ipv6) FROM sites s JOIN servers v ON v.id = s.server_id WHERE s.id = :id")
                .param("id", siteId).query(String.class).optional();
    }

    /** The site's databases as {@code site.yml} with {@code site_state: absent} takes them: engine, name, user. */
    public List<java.util.Map<String, Object>> databasesToDrop(String siteId) {
        return jdbc.sql("SELECT engine, name, username AS user FROM site_databases WHERE site_id = :id ORDER BY name")
                .param("id", siteId).query().listOfRows();
    }

    public void setStatus(String id, SiteStatus status, @Nullable String note, @Nullable String failedStep) {
        jdbc.sql("UPDATE sites SET status = :status, status_note = :note, failed_step = :step WHERE id = :id")
                .param("id", id).param("status", status.key()).param("note", note).param("step", failedStep).update();
    }

    public void setLastJob(String id, String jobId) {
        jdbc.sql("UPDATE sites SET last_job_id = :job WHERE id = :id").param("id", id).param("job", jobId).update();
    }

    public void setEnvironment(String id, @Nullable String sealedEnvironment) {
        jdbc.sql("UPDATE sites SET environment = :env WHERE id = :id").param("id", id).param("env", sealedEnvironment).update();
    }

    public void setWaf(String id, WafMode waf, @Nullable Boolean available, @Nullable String note) {
        jdbc.sql("UPDATE sites SET waf = :waf, waf_available = :available, waf_note = :note WHERE id = :id")
                .param("id", id).param("waf", waf.key()).param("available", available).param("note", note).update();
    }

    /**
     * Records a deployment's end: a release that became current brings its commit (none for an archive or WordPress
     * core); without a release (it failed before the switch) the site keeps what it runs.
     */
    public void setCurrentRelease(String id, @Nullable String release, @Nullable String commit, DeploymentStatus status,
                                  Instant now) {
        jdbc.sql("""
                UPDATE sites SET current_release = coalesce(:release, current_release),
                                 current_commit = CASE WHEN CAST(:release AS text) IS NULL THEN current_commit ELSE :commit END,
                                 last_deployed_at = :now, last_deployment_status = :status WHERE id = :id
                """).param("id", id).param("release", release).param("commit", commit).param("status", status.key())
                .param("now", Timestamp.from(now)).update();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM sites WHERE id = :id").param("id", id).update();
    }

    static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    /** A PostgreSQL array literal; the values are host names and paths the callers validated (no quotes or braces). */
    static String textArray(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private SiteRecord map(ResultSet rs, int row) throws SQLException {
        int port = rs.getInt("app_port");
        Integer appPort = rs.wasNull() ? null : port;
        boolean wafAvailable = rs.getBoolean("waf_available");
        Boolean waf = rs.wasNull() ? null : wafAvailable;
        String lastStatus = rs.getString("last_deployment_status");
        return new SiteRecord(rs.getString("id"), rs.getString("tenant_id"), rs.getString("tenant_path"),
                rs.getString("server_id"), rs.getString("server_name"), SiteType.fromKey(rs.getString("type")),
                rs.getString("domain"), strings(rs.getArray("aliases")), rs.getBoolean("redirect_aliases"),
                rs.getString("web_root"), rs.getString("php_version"), appPort, rs.getString("system_user"),
                DeploySource.fromKey(rs.getString("deploy_source")), rs.getString("repository_url"), rs.getString("branch"),
                rs.getString("deploy_key_private"), rs.getString("deploy_key_public"), rs.getString("deploy_script"),
                strings(rs.getArray("shared_paths")), rs.getInt("keep_releases"), rs.getString("webhook_secret"),
                rs.getString("environment"), rs.getBoolean("deploy_on_env_change"), rs.getString("nginx_custom"),
                WafMode.fromKey(rs.getString("waf")), waf, rs.getString("waf_note"), SiteStatus.fromKey(rs.getString("status")),
                rs.getString("status_note"), rs.getString("failed_step"), rs.getString("current_release"),
                rs.getString("current_commit"), instant(rs, "last_deployed_at"),
                lastStatus == null ? null : DeploymentStatus.fromKey(lastStatus), rs.getString("last_job_id"),
                rs.getTimestamp("created_at").toInstant());
    }
}
