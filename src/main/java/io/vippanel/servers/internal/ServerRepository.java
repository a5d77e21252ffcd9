package io.vippanel.servers.internal;

import io.vippanel.servers.DatabaseEngine;
import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.StackOptions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Server rows. Reads filter by the scope's tenant path (row-level security checks it again). */
@Repository
public class ServerRepository {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT s.*, t.path AS tenant_path, a.name AS account_name
              FROM servers s JOIN tenants t ON t.id = s.tenant_id
              LEFT JOIN provider_accounts a ON a.id = s.provider_account_id
            """;

    private final JdbcClient jdbc;

    public ServerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything a new server row needs. */
    public record NewRow(String id, String tenantId, String name, ProviderKind kind, @Nullable String accountId,
                         @Nullable String region, @Nullable String size, OsImage image, @Nullable String providerImage,
                         @Nullable String ipv4, @Nullable String ipv6, int sshPort, String sshUser, String adminUser,
                         String sealedPanelKey, String panelPublicKey, @Nullable String sealedBootstrap,
                         @Nullable String bootstrapKind, @Nullable String sealedDatabasePassword, StackOptions stack,
                         @Nullable String createdBy) {
    }

    public void insert(NewRow row, Instant now) {
        jdbc.sql("""
                INSERT INTO servers (id, tenant_id, name, provider_kind, provider_account_id, region, size, image, provider_image,
                                     status, ipv4, ipv6, ssh_port, ssh_user, admin_user, panel_private_key, panel_public_key,
                                     panel_key_created_at, bootstrap_secret, bootstrap_kind, database_root_password, stack,
                                     created_by, created_at)
                VALUES (:id, :tenant, :name, :kind, :account, :region, :size, :image, :providerImage, 'queued', :ipv4, :ipv6,
                        :port, :user, :admin, :key, :publicKey, :now, :bootstrap, :bootstrapKind, :dbPassword,
                        CAST(:stack AS jsonb), :by, :now)
                """).param("id", row.id()).param("tenant", row.tenantId()).param("name", row.name())
                .param("kind", key(row.kind())).param("account", row.accountId()).param("region", row.region())
                .param("size", row.size()).param("image", row.image().name()).param("providerImage", row.providerImage())
                .param("ipv4", row.ipv4()).param("ipv6", row.ipv6()).param("port", row.sshPort()).param("user", row.sshUser())
                .param("admin", row.adminUser()).param("key", row.sealedPanelKey()).param("publicKey", row.panelPublicKey())
                .param("bootstrap", row.sealedBootstrap()).param("bootstrapKind", row.bootstrapKind())
                .param("dbPassword", row.sealedDatabasePassword()).param("stack", JSON.writeValueAsString(stackJson(row.stack())))
                .param("by", row.createdBy()).param("now", Timestamp.from(now)).update();
    }

    public Optional<ServerRecord> find(String scope, String id) {
        return jdbc.sql(SELECT + " WHERE s.id = :id AND starts_with(t.path, :scope)").param("id", id).param("scope", scope)
                .query(this::map).optional();
    }

    public List<ServerRecord> list(String scope, @Nullable String search, int limit, int offset) {
        return jdbc.sql(SELECT + """
                 WHERE starts_with(t.path, :scope)
                   AND (CAST(:search AS text) IS NULL OR s.name ILIKE '%' || :search || '%' OR s.ipv4 = :search OR s.id = :search)
                 ORDER BY s.created_at DESC, s.id LIMIT :limit OFFSET :offset
                """).param("scope", scope).param("search", search).param("limit", limit).param("offset", offset)
                .query(this::map).list();
    }

    public long count(String scope, @Nullable String search) {
        return jdbc.sql("""
                SELECT count(*) FROM servers s JOIN tenants t ON t.id = s.tenant_id
                 WHERE starts_with(t.path, :scope)
                   AND (CAST(:search AS text) IS NULL OR s.name ILIKE '%' || :search || '%' OR s.ipv4 = :search OR s.id = :search)
                """).param("scope", scope).param("search", search).query(Long.class).single();
    }

    public boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM servers WHERE tenant_id = :tenant AND lower(name) = lower(:name))")
                .param("tenant", tenantId).param("name", name).query(Boolean.class).single();
    }

    /** The name of the nearest tenant (itself or above) whose server limit is reached, if any. */
    public Optional<String> limitReachedAt(String tenantId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('vip.servers.limit'))").query().singleRow();
        return jdbc.sql("SELECT full_tenant FROM vip_server_limit_reached(:id) AS full_tenant WHERE full_tenant IS NOT NULL")
                .param("id", tenantId).query(String.class).optional();
    }

    public void setStatus(String id, ServerStatus status, @Nullable String note, @Nullable String failedStep) {
        jdbc.sql("UPDATE servers SET status = :status, status_note = :note, failed_step = :step WHERE id = :id")
                .param("id", id).param("status", status.key()).param("note", note).param("step", failedStep).update();
    }

    public void setLastJob(String id, String jobId) {
        jdbc.sql("UPDATE servers SET last_job_id = :job WHERE id = :id").param("id", id).param("job", jobId).update();
    }

    public void setVm(String id, @Nullable String vmId, @Nullable String providerKeyId) {
        jdbc.sql("UPDATE servers SET provider_vm_id = :vm, provider_key_id = :key WHERE id = :id")
                .param("id", id).param("vm", vmId).param("key", providerKeyId).update();
    }

    public void setAddresses(String id, @Nullable String ipv4, @Nullable String ipv6, String sshUser) {
        jdbc.sql("UPDATE servers SET ipv4 = :ipv4, ipv6 = :ipv6, ssh_user = :user WHERE id = :id")
                .param("id", id).param("ipv4", ipv4).param("ipv6", ipv6).param("user", sshUser).update();
    }

    public void pinHostKeys(String id, String knownHosts) {
        jdbc.sql("UPDATE servers SET host_keys = :keys WHERE id = :id").param("id", id).param("keys", knownHosts).update();
    }

    public void setLoginUser(String id, String sshUser) {
        jdbc.sql("UPDATE servers SET ssh_user = :user, bootstrap_secret = NULL, bootstrap_kind = NULL WHERE id = :id")
                .param("id", id).param("user", sshUser).update();
    }

    public void forgetBootstrapSecret(String id) {
        jdbc.sql("UPDATE servers SET bootstrap_secret = NULL, bootstrap_kind = NULL WHERE id = :id").param("id", id).update();
    }

    public void setSize(String id, String size) {
        jdbc.sql("UPDATE servers SET size = :size WHERE id = :id").param("id", id).param("size", size).update();
    }

    public void setStack(String id, StackOptions stack) {
        jdbc.sql("UPDATE servers SET stack = CAST(:stack AS jsonb) WHERE id = :id").param("id", id)
                .param("stack", JSON.writeValueAsString(stackJson(stack))).update();
    }

    public void markProvisioned(String id, Map<String, ?> facts, Instant now) {
        jdbc.sql("""
                UPDATE servers SET status = 'ready', status_note = NULL, failed_step = NULL, facts = CAST(:facts AS jsonb),
                                   provisioned_at = :now, last_seen_at = :now WHERE id = :id
                """).param("id", id).param("facts", JSON.writeValueAsString(facts)).param("now", Timestamp.from(now)).update();
    }

    public void recordServices(String id, Map<String, String> services, @Nullable Long uptimeSeconds, Instant now) {
        jdbc.sql("""
                UPDATE servers SET services = CAST(:services AS jsonb), services_checked_at = :now,
                                   uptime_seconds = coalesce(:uptime, uptime_seconds), last_seen_at = :now WHERE id = :id
                """).param("id", id).param("services", JSON.writeValueAsString(services)).param("uptime", uptimeSeconds)
                .param("now", Timestamp.from(now)).update();
    }

    public void seen(String id, Instant now) {
        jdbc.sql("UPDATE servers SET last_seen_at = :now WHERE id = :id").param("id", id).param("now", Timestamp.from(now)).update();
    }

    /** Starts a key rotation: the new key becomes the panel key, the old one is kept until the server dropped it. */
    public void rotatePanelKey(String id, String sealedNewKey, String newPublicKey, String sealedRetiredKey, Instant now) {
        jdbc.sql("""
                UPDATE servers SET panel_private_key = :key, panel_public_key = :publicKey, retired_private_key = :retired,
                                   panel_key_created_at = :now WHERE id = :id
                """).param("id", id).param("key", sealedNewKey).param("publicKey", newPublicKey).param("retired", sealedRetiredKey)
                .param("now", Timestamp.from(now)).update();
    }

    public void dropRetiredKey(String id) {
        jdbc.sql("UPDATE servers SET retired_private_key = NULL WHERE id = :id").param("id", id).update();
    }

    /** Takes the server's automation lease for {@code holder} until {@code until}, unless another live holder has it. */
    public boolean takeAutomationLease(String id, String holder, Instant now, Instant until) {
        return jdbc.sql("""
                UPDATE servers SET automation_lease_job = :holder, automation_lease_until = :until
                 WHERE id = :id AND (automation_lease_job IS NULL OR automation_lease_job = :holder OR automation_lease_until < :now)
                """).param("id", id).param("holder", holder).param("now", Timestamp.from(now)).param("until", Timestamp.from(until))
                .update() == 1;
    }

    public void releaseAutomationLease(String id, String holder) {
        jdbc.sql("UPDATE servers SET automation_lease_job = NULL, automation_lease_until = NULL WHERE id = :id AND automation_lease_job = :holder")
                .param("id", id).param("holder", holder).update();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM servers WHERE id = :id").param("id", id).update();
    }

    static String key(ProviderKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> stackJson(StackOptions stack) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("webServer", stack.webServer());
        json.put("phpVersions", stack.phpVersions());
        json.put("phpDefaultVersion", stack.phpDefaultVersion());
        json.put("database", stack.database().key());
        json.put("nodejs", stack.nodejs());
        json.put("redis", stack.redis());
        return json;
    }

    private static StackOptions stack(JsonNode json) {
        List<String> php = new ArrayList<>();
        json.path("phpVersions").forEach(version -> php.add(version.asString()));
        return new StackOptions(json.path("webServer").asString("nginx"), php, json.path("phpDefaultVersion").asString(""),
                DatabaseEngine.valueOf(json.path("database").asString("none").toUpperCase(Locale.ROOT)),
                json.path("nodejs").asBoolean(false), json.path("redis").asBoolean(false));
    }

    private ServerRecord map(ResultSet rs, int row) throws SQLException {
        Timestamp uptimeChecked = rs.getTimestamp("services_checked_at");
        Timestamp seen = rs.getTimestamp("last_seen_at");
        Timestamp provisioned = rs.getTimestamp("provisioned_at");
        long uptime = rs.getLong("uptime_seconds");
        Long uptimeSeconds = rs.wasNull() ? null : uptime;
        return new ServerRecord(rs.getString("id"), rs.getString("tenant_id"), rs.getString("tenant_path"), rs.getString("name"),
                ProviderKind.valueOf(rs.getString("provider_kind").toUpperCase(Locale.ROOT)), rs.getString("provider_account_id"),
                rs.getString("account_name"), rs.getString("provider_vm_id"), rs.getString("provider_key_id"),
                rs.getString("region"), rs.getString("size"), OsImage.valueOf(rs.getString("image")),
                rs.getString("provider_image"), ServerStatus.fromKey(rs.getString("status")), rs.getString("status_note"),
                rs.getString("failed_step"), rs.getString("ipv4"), rs.getString("ipv6"), rs.getInt("ssh_port"),
                rs.getString("ssh_user"), rs.getString("admin_user"), rs.getString("host_keys"),
                rs.getString("panel_private_key"), rs.getString("panel_public_key"), rs.getString("retired_private_key"),
                rs.getTimestamp("panel_key_created_at").toInstant(), rs.getString("bootstrap_secret"),
                rs.getString("bootstrap_kind"), rs.getString("database_root_password"),
                stack(JSON.readTree(rs.getString("stack"))),
                JSON.readValue(rs.getString("facts"), new TypeReference<Map<String, Object>>() { }),
                JSON.readValue(rs.getString("services"), new TypeReference<Map<String, String>>() { }),
                uptimeChecked == null ? null : uptimeChecked.toInstant(), uptimeSeconds,
                seen == null ? null : seen.toInstant(), provisioned == null ? null : provisioned.toInstant(),
                rs.getString("last_job_id"), rs.getTimestamp("created_at").toInstant());
    }
}
