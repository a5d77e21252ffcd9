package io.vippanel.servers.internal;

import io.vippanel.servers.ProviderAccount;
import io.vippanel.servers.ProviderKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Provider accounts. "Visible from a scope" means owned within the scope's subtree, or shared by a tenant above
 * it; the row-level security policy says the same.
 */
@Repository
public class ProviderAccountRepository {

    private static final String VISIBLE = "(starts_with(owner_path, :scope) OR (shared AND starts_with(:scope, owner_path)))";
    private static final String COLUMNS = "id, tenant_id, owner_path, kind, name, shared, credential_hint, default_region, "
            + "last_checked_at, last_check_ok, last_check_note, created_at";

    private final JdbcClient jdbc;

    public ProviderAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored account with its encrypted credentials, for the code that must call the provider. */
    public record Stored(ProviderAccount account, String ownerPath, String encryptedCredentials) {
    }

    public void insert(String id, String tenantId, String ownerPath, ProviderKind kind, String name, boolean shared,
                       String encryptedCredentials, String hint, @Nullable String defaultRegion, @Nullable String createdBy,
                       Instant now) {
        jdbc.sql("""
                INSERT INTO provider_accounts (id, tenant_id, owner_path, kind, name, shared, credentials, credential_hint,
                                               default_region, created_by, created_at)
                VALUES (:id, :tenant, :path, :kind, :name, :shared, :credentials, :hint, :region, :by, :now)
                """).param("id", id).param("tenant", tenantId).param("path", ownerPath).param("kind", key(kind))
                .param("name", name).param("shared", shared).param("credentials", encryptedCredentials).param("hint", hint)
                .param("region", defaultRegion).param("by", createdBy).param("now", Timestamp.from(now)).update();
    }

    public List<ProviderAccount> list(String scope) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM provider_accounts WHERE " + VISIBLE + " ORDER BY name, id")
                .param("scope", scope).query((rs, row) -> map(rs, scope)).list();
    }

    public Optional<Stored> find(String scope, String id) {
        return jdbc.sql("SELECT " + COLUMNS + ", credentials FROM provider_accounts WHERE id = :id AND " + VISIBLE)
                .param("id", id).param("scope", scope)
                .query((rs, row) -> new Stored(map(rs, scope), rs.getString("owner_path"), rs.getString("credentials")))
                .optional();
    }

    public boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM provider_accounts WHERE tenant_id = :tenant AND lower(name) = lower(:name))")
                .param("tenant", tenantId).param("name", name).query(Boolean.class).single();
    }

    public void recordCheck(String id, boolean ok, String note, Instant now) {
        jdbc.sql("UPDATE provider_accounts SET last_checked_at = :now, last_check_ok = :ok, last_check_note = :note WHERE id = :id")
                .param("id", id).param("ok", ok).param("note", note).param("now", Timestamp.from(now)).update();
    }

    /** Servers still made through the account, across every tenant (they may be customers' of a shared account). */
    public int serversUsing(String id) {
        return jdbc.sql("SELECT vip_provider_account_servers(:id)").param("id", id).query(Integer.class).single();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM provider_accounts WHERE id = :id").param("id", id).update();
    }

    static String key(ProviderKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static ProviderAccount map(ResultSet rs, String scope) throws SQLException {
        Timestamp checked = rs.getTimestamp("last_checked_at");
        Boolean ok = rs.getObject("last_check_ok") == null ? null : rs.getBoolean("last_check_ok");
        return new ProviderAccount(rs.getString("id"), rs.getString("tenant_id"),
                ProviderKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("name"),
                rs.getBoolean("shared"), rs.getString("credential_hint"), rs.getString("default_region"),
                checked == null ? null : checked.toInstant(), ok, rs.getString("last_check_note"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("owner_path").startsWith(scope));
    }
}
