package io.vippanel.servers.internal;

import io.vippanel.servers.FirewallRule;
import io.vippanel.servers.ServerSshKey;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** People's SSH keys and firewall rules of servers; callers have already checked the server is visible. */
@Repository
public class ServerAccessRepository {

    private final JdbcClient jdbc;

    public ServerAccessRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insertKey(String id, String tenantId, String serverId, String name, SshKeyMaterial.PublicKey key,
                          @Nullable String createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO server_ssh_keys (id, tenant_id, server_id, name, public_key, key_type, bits, fingerprint, status,
                                             created_by, created_at)
                VALUES (:id, :tenant, :server, :name, :key, :type, :bits, :fingerprint, 'pending', :by, :now)
                """).param("id", id).param("tenant", tenantId).param("server", serverId).param("name", name)
                .param("key", key.line()).param("type", key.type()).param("bits", key.bits())
                .param("fingerprint", key.fingerprint()).param("by", createdBy).param("now", Timestamp.from(now)).update();
    }

    public List<ServerSshKey> keys(String serverId) {
        return jdbc.sql("SELECT * FROM server_ssh_keys WHERE server_id = :server ORDER BY created_at, id").param("server", serverId)
                .query((rs, row) -> new ServerSshKey(rs.getString("id"), rs.getString("server_id"), rs.getString("name"),
                        rs.getString("key_type"), rs.getInt("bits"), rs.getString("fingerprint"), rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant())).list();
    }

    public Optional<ServerSshKey> key(String serverId, String keyId) {
        return keys(serverId).stream().filter(key -> key.id().equals(keyId)).findFirst();
    }

    public boolean fingerprintPresent(String serverId, String fingerprint) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM server_ssh_keys WHERE server_id = :server AND fingerprint = :fingerprint)")
                .param("server", serverId).param("fingerprint", fingerprint).query(Boolean.class).single();
    }

    /** The public key lines that should be on the server now (everything not being removed). */
    public List<String> wantedKeyLines(String serverId) {
        return jdbc.sql("SELECT public_key FROM server_ssh_keys WHERE server_id = :server AND status <> 'removing' ORDER BY created_at, id")
                .param("server", serverId).query(String.class).list();
    }

    public void setKeyStatus(String keyId, String status) {
        jdbc.sql("UPDATE server_ssh_keys SET status = :status WHERE id = :id").param("id", keyId).param("status", status).update();
    }

    /** After a successful apply: wanted keys are installed, removed ones are gone. */
    public void keysApplied(String serverId) {
        jdbc.sql("DELETE FROM server_ssh_keys WHERE server_id = :server AND status = 'removing'").param("server", serverId).update();
        jdbc.sql("UPDATE server_ssh_keys SET status = 'installed' WHERE server_id = :server").param("server", serverId).update();
    }

    public void keysFailed(String serverId) {
        jdbc.sql("UPDATE server_ssh_keys SET status = 'failed' WHERE server_id = :server AND status = 'pending'")
                .param("server", serverId).update();
    }

    public void insertRule(String id, String tenantId, String serverId, String port, String protocol, String source,
                           String comment, @Nullable String createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO firewall_rules (id, tenant_id, server_id, port, protocol, source, comment, status, created_by, created_at)
                VALUES (:id, :tenant, :server, :port, :protocol, :source, :comment, 'pending', :by, :now)
                """).param("id", id).param("tenant", tenantId).param("server", serverId).param("port", port)
                .param("protocol", protocol).param("source", source).param("comment", comment).param("by", createdBy)
                .param("now", Timestamp.from(now)).update();
    }

    public List<FirewallRule> rules(String serverId) {
        return jdbc.sql("SELECT * FROM firewall_rules WHERE server_id = :server ORDER BY created_at, id").param("server", serverId)
                .query((rs, row) -> new FirewallRule(rs.getString("id"), rs.getString("server_id"), rs.getString("port"),
                        rs.getString("protocol"), rs.getString("source"), rs.getString("comment"), rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant())).list();
    }

    public Optional<FirewallRule> rule(String serverId, String ruleId) {
        return rules(serverId).stream().filter(rule -> rule.id().equals(ruleId)).findFirst();
    }

    public boolean ruleExists(String serverId, String port, String protocol, String source) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM firewall_rules WHERE server_id = :server AND port = :port AND protocol = :protocol
                                                            AND source = :source)
                """).param("server", serverId).param("port", port).param("protocol", protocol).param("source", source)
                .query(Boolean.class).single();
    }

    public void setRuleStatus(String ruleId, String status) {
        jdbc.sql("UPDATE firewall_rules SET status = :status WHERE id = :id").param("id", ruleId).param("status", status).update();
    }

    public void rulesApplied(String serverId) {
        jdbc.sql("DELETE FROM firewall_rules WHERE server_id = :server AND status = 'removing'").param("server", serverId).update();
        jdbc.sql("UPDATE firewall_rules SET status = 'applied' WHERE server_id = :server").param("server", serverId).update();
    }

    public void rulesFailed(String serverId) {
        jdbc.sql("UPDATE firewall_rules SET status = 'failed' WHERE server_id = :server AND status = 'pending'")
                .param("server", serverId).update();
    }
}
