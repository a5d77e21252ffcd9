package io.vippanel.dns.internal;

import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsProviderKind;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * DNS provider accounts. "Visible from a scope" means owned within the scope's subtree, or shared by a tenant above
 * it; the row-level security policy says the same.
 */
@Repository
public class DnsAccountRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VISIBLE = "(starts_with(owner_path, :scope) OR (shared AND starts_with(:scope, owner_path)))";
    private static final String COLUMNS = "id, tenant_id, owner_path, kind, name, shared, credential_hint, check_servers, "
            + "last_checked_at, last_check_ok, last_check_note, created_at";

    private final JdbcClient jdbc;

    public DnsAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored account with its encrypted credentials, for the code that must call the provider. */
    public record Stored(DnsAccount account, String encryptedCredentials) {
    }

    public void insert(String id, String tenantId, String ownerPath, DnsProviderKind kind, String name, boolean shared,
                       String encryptedCredentials, String hint, List<String> checkServers, @Nullable String createdBy,
                       Instant now) {
        jdbc.sql("""
                INSERT INTO dns_accounts (id, tenant_id, owner_path, kind, name, shared, credentials, credential_hint,
                                          check_servers, created_by, created_at)
                VALUES (:id, :tenant, :path, :kind, :name, :shared, :credentials, :hint, CAST(:check AS jsonb), :by, :now)
                """).param("id", id).param("tenant", tenantId).param("path", ownerPath).param("kind", key(kind))
                .param("name", name).param("shared", shared).param("credentials", encryptedCredentials).param("hint", hint)
                .param("check", JSON.writeValueAsString(checkServers)).param("by", createdBy)
                .param("now", Timestamp.from(now)).update();
    }

    public List<DnsAccount> list(String scope) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dns_accounts WHERE " + VISIBLE + " ORDER BY name, id")
                .param("scope", scope).query((rs, row) -> map(rs, scope)).list();
    }

    public Optional<Stored> find(String scope, String id) {
        return jdbc.sql("SELECT " + COLUMNS + ", credentials FROM dns_accounts WHERE id = :id AND " + VISIBLE)
                .param("id", id).param("scope", scope)
                .query((rs, row) -> new Stored(map(rs, scope), rs.getString("credentials")))
                .optional();
    }

    public boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM dns_accounts WHERE tenant_id = :tenant AND lower(name) = lower(:name))")
                .param("tenant", tenantId).param("name", name).query(Boolean.class).single();
    }

    public void recordCheck(String id, boolean ok, String note, Instant now) {
        jdbc.sql("UPDATE dns_accounts SET last_checked_at = :now, last_check_ok = :ok, last_check_note = :note WHERE id = :id")
                .param("id", id).param("ok", ok).param("note", note).param("now", Timestamp.from(now)).update();
    }

    /** Zones still hosted through the account, across every tenant (customers' zones on a shared account). */
    public int zonesUsing(String id) {
        return jdbc.sql("SELECT vip_dns_account_zones(:id)").param("id", id).query(Integer.class).single();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM dns_accounts WHERE id = :id").param("id", id).update();
    }

    static String key(DnsProviderKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static DnsAccount map(ResultSet rs, String scope) throws SQLException {
        Timestamp checked = rs.getTimestamp("last_checked_at");
        Boolean ok = rs.getObject("last_check_ok") == null ? null : rs.getBoolean("last_check_ok");
        List<String> checkServers = List.of(JSON.readValue(rs.getString("check_servers"), String[].class));
        return new DnsAccount(rs.getString("id"), rs.getString("tenant_id"),
                DnsProviderKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("name"),
                rs.getBoolean("shared"), rs.getString("credential_hint"), checkServers,
                checked == null ? null : checked.toInstant(), ok, rs.getString("last_check_note"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("owner_path").startsWith(scope));
    }
}
