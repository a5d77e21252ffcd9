package io.vippanel.tenancy.internal;

import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.Tenant;
import io.vippanel.tenancy.TenantKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Tenant rows. Every read names the subtree it may see; row-level security checks the same again.
 */
@Repository
public class TenantRepository {

    private static final String COLUMNS = """
            t.id, t.parent_id, t.kind, t.name, t.path, t.status, t.require_2fa, t.max_servers, t.max_sites,
            t.max_mailboxes, t.max_users, t.created_at,
            vip_tenant_blocked(t.path) AS blocked, vip_tenant_2fa_required(t.path) AS twofa_required
            """;

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Tenant> findPlatform() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants t WHERE t.kind = 'platform'").query(this::map).optional();
    }

    public Optional<Tenant> find(String id, String withinPath) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants t WHERE t.id = :id AND starts_with(t.path, :scope)")
                .param("id", id).param("scope", withinPath)
                .query(this::map).optional();
    }

    public List<Tenant> subtree(String path, int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenants t WHERE starts_with(t.path, :scope) ORDER BY t.path LIMIT :limit OFFSET :offset")
                .param("scope", path).param("limit", limit).param("offset", offset)
                .query(this::map).list();
    }

    /** Ids, names and paths only, for pickers shown on every page: no per-row ancestor checks. */
    public List<io.vippanel.tenancy.TenantOption> options(String path, int limit) {
        return jdbc.sql("SELECT t.id, t.name, t.path, t.kind FROM tenants t WHERE starts_with(t.path, :scope) ORDER BY t.path LIMIT :limit")
                .param("scope", path).param("limit", limit)
                .query((rs, row) -> new io.vippanel.tenancy.TenantOption(rs.getString("id"), rs.getString("name"), rs.getString("path"),
                        TenantKind.fromDb(rs.getString("kind"))))
                .list();
    }

    public int countSubtree(String path) {
        return jdbc.sql("SELECT count(*) FROM tenants t WHERE starts_with(t.path, :scope)").param("scope", path)
                .query(Integer.class).single();
    }

    public void insert(String id, @Nullable String parentId, TenantKind kind, String name, String path, boolean require2fa, Limits limits) {
        jdbc.sql("""
                INSERT INTO tenants (id, parent_id, kind, name, path, require_2fa, max_servers, max_sites, max_mailboxes, max_users)
                VALUES (:id, :parent, :kind, :name, :path, :twofa, :servers, :sites, :mailboxes, :users)
                """)
                .param("id", id).param("parent", parentId).param("kind", kind.dbValue()).param("name", name)
                .param("path", path).param("twofa", require2fa)
                .param("servers", limits.maxServers()).param("sites", limits.maxSites())
                .param("mailboxes", limits.maxMailboxes()).param("users", limits.maxUsers())
                .update();
    }

    public void update(String id, String name, Limits limits) {
        jdbc.sql("""
                UPDATE tenants SET name = :name, max_servers = :servers, max_sites = :sites, max_mailboxes = :mailboxes,
                       max_users = :users, updated_at = now() WHERE id = :id
                """)
                .param("id", id).param("name", name)
                .param("servers", limits.maxServers()).param("sites", limits.maxSites())
                .param("mailboxes", limits.maxMailboxes()).param("users", limits.maxUsers())
                .update();
    }

    public void setStatus(String id, String status) {
        jdbc.sql("UPDATE tenants SET status = :status, updated_at = now() WHERE id = :id").param("status", status).param("id", id).update();
    }

    public void setRequire2fa(String id, boolean required) {
        jdbc.sql("UPDATE tenants SET require_2fa = :required, updated_at = now() WHERE id = :id").param("required", required).param("id", id).update();
    }

    /** Limits of the tenant and of every tenant below it, to keep children within a lowered limit. */
    public List<Limits> childLimits(String parentId) {
        return jdbc.sql("SELECT max_servers, max_sites, max_mailboxes, max_users FROM tenants WHERE parent_id = :id")
                .param("id", parentId)
                .query((rs, row) -> limits(rs)).list();
    }

    public Optional<String> userLimitReachedAt(String tenantId) {
        return jdbc.sql("SELECT full_tenant FROM vip_user_limit_reached(:id) AS full_tenant WHERE full_tenant IS NOT NULL")
                .param("id", tenantId).query(String.class).optional();
    }

    private Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getString("id"), rs.getString("parent_id"), TenantKind.fromDb(rs.getString("kind")),
                rs.getString("name"), rs.getString("path"), "suspended".equals(rs.getString("status")),
                rs.getBoolean("blocked"), rs.getBoolean("require_2fa"), rs.getBoolean("twofa_required"), limits(rs),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Limits limits(ResultSet rs) throws SQLException {
        return new Limits(integer(rs, "max_servers"), integer(rs, "max_sites"), integer(rs, "max_mailboxes"), integer(rs, "max_users"));
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
