package io.vippanel.identity.internal;

import io.vippanel.identity.ApiToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API tokens (hashed), sessions (hashed ids) and single-use link tokens (hashed). */
@Repository
public class TokenRepository {

    private final JdbcClient jdbc;

    public TokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- API tokens

    public void insertApiToken(String id, String tenantId, String userId, String name, String hash, @Nullable Instant expiresAt) {
        jdbc.sql("INSERT INTO api_tokens (id, tenant_id, user_id, name, token_hash, expires_at) VALUES (:id, :tenant, :user, :name, :hash, :expires)")
                .param("id", id).param("tenant", tenantId).param("user", userId).param("name", name).param("hash", hash)
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt)).update();
    }

    public List<ApiToken> apiTokensOf(String userId) {
        return jdbc.sql("SELECT * FROM api_tokens WHERE user_id = :user AND revoked_at IS NULL ORDER BY created_at DESC")
                .param("user", userId).query(TokenRepository::apiToken).list();
    }

    public int revokeApiToken(String id, String userId) {
        return jdbc.sql("UPDATE api_tokens SET revoked_at = now() WHERE id = :id AND user_id = :user AND revoked_at IS NULL")
                .param("id", id).param("user", userId).update();
    }

    /** The owner of a live token, and marks it used (at most once a minute, to keep hot paths cheap). */
    public Optional<String> userOfLiveToken(String hash) {
        Optional<String> userId = jdbc.sql("""
                SELECT user_id FROM api_tokens WHERE token_hash = :hash AND revoked_at IS NULL
                   AND (expires_at IS NULL OR expires_at > now())
                """).param("hash", hash).query(String.class).optional();
        userId.ifPresent(id -> jdbc.sql("""
                UPDATE api_tokens SET last_used_at = now() WHERE token_hash = :hash
                   AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                """).param("hash", hash).update());
        return userId;
    }

    private static ApiToken apiToken(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                instant(rs, "expires_at"), instant(rs, "last_used_at"));
    }

    // --- sessions

    /** A session row with what the per-request check needs. */
    public record SessionState(String id, String userId, Instant createdAt, boolean revoked, boolean userActive, boolean tenantBlocked) {
    }

    public void insertSession(String id, String tenantId, String userId, String hash, String ip, String userAgent) {
        jdbc.sql("INSERT INTO user_sessions (id, tenant_id, user_id, session_hash, ip, user_agent) VALUES (:id, :tenant, :user, :hash, :ip, :ua)")
                .param("id", id).param("tenant", tenantId).param("user", userId).param("hash", hash).param("ip", ip).param("ua", userAgent)
                .update();
    }

    public Optional<SessionState> sessionState(String hash) {
        return jdbc.sql("""
                SELECT s.id, s.user_id, s.created_at, s.revoked_at IS NOT NULL AS revoked, u.status = 'active' AS user_active,
                       vip_tenant_blocked(t.path) AS blocked
                  FROM user_sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id
                 WHERE s.session_hash = :hash
                """).param("hash", hash)
                .query((rs, row) -> new SessionState(rs.getString("id"), rs.getString("user_id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getBoolean("revoked"), rs.getBoolean("user_active"), rs.getBoolean("blocked")))
                .optional();
    }

    public void touchSession(String hash, String ip) {
        jdbc.sql("""
                UPDATE user_sessions SET last_seen_at = now(), ip = :ip
                 WHERE session_hash = :hash AND last_seen_at < now() - interval '30 seconds'
                """).param("hash", hash).param("ip", ip).update();
    }

    public List<io.vippanel.identity.UserSession> sessionsOf(String userId) {
        return jdbc.sql("""
                SELECT id, session_hash, ip, user_agent, created_at, last_seen_at FROM user_sessions
                 WHERE user_id = :user AND revoked_at IS NULL ORDER BY last_seen_at DESC
                """).param("user", userId)
                .query((rs, row) -> new io.vippanel.identity.UserSession(rs.getString("id"), rs.getString("session_hash"),
                        rs.getString("ip"), rs.getString("user_agent"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), false))
                .list();
    }

    public int revokeSession(String id, String userId) {
        return jdbc.sql("UPDATE user_sessions SET revoked_at = now() WHERE id = :id AND user_id = :user AND revoked_at IS NULL")
                .param("id", id).param("user", userId).update();
    }

    public int revokeSessionByHash(String hash) {
        return jdbc.sql("UPDATE user_sessions SET revoked_at = now() WHERE session_hash = :hash AND revoked_at IS NULL").param("hash", hash).update();
    }

    public int revokeOtherSessions(String userId, String keepHash) {
        return jdbc.sql("UPDATE user_sessions SET revoked_at = now() WHERE user_id = :user AND session_hash <> :keep AND revoked_at IS NULL")
                .param("user", userId).param("keep", keepHash).update();
    }

    public int revokeAllSessions(String userId) {
        return jdbc.sql("UPDATE user_sessions SET revoked_at = now() WHERE user_id = :user AND revoked_at IS NULL").param("user", userId).update();
    }

    // --- single-use links

    /** A link token that is still valid. */
    public record LinkToken(String id, String tenantId, @Nullable String userId, String purpose) {
    }

    public void insertLink(String id, String tenantId, @Nullable String userId, String purpose, String hash, Instant expiresAt) {
        jdbc.sql("INSERT INTO one_time_tokens (id, tenant_id, user_id, purpose, token_hash, expires_at) VALUES (:id, :tenant, :user, :purpose, :hash, :expires)")
                .param("id", id).param("tenant", tenantId).param("user", userId).param("purpose", purpose).param("hash", hash)
                .param("expires", Timestamp.from(expiresAt)).update();
    }

    public Optional<LinkToken> validLink(String hash, String purpose) {
        return jdbc.sql("""
                SELECT id, tenant_id, user_id, purpose FROM one_time_tokens
                 WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()
                """).param("hash", hash).param("purpose", purpose)
                .query((rs, row) -> new LinkToken(rs.getString("id"), rs.getString("tenant_id"), rs.getString("user_id"), rs.getString("purpose")))
                .optional();
    }

    /** Marks a link used; false when another request used it first. */
    public boolean useLink(String id) {
        return jdbc.sql("UPDATE one_time_tokens SET used_at = now() WHERE id = :id AND used_at IS NULL").param("id", id).update() == 1;
    }

    public void expireLinks(String purpose, @Nullable String userId) {
        jdbc.sql("UPDATE one_time_tokens SET used_at = now() WHERE purpose = :purpose AND used_at IS NULL AND user_id IS NOT DISTINCT FROM :user")
                .param("purpose", purpose).param("user", userId).update();
    }

    // --- recovery codes

    public void replaceRecoveryCodes(String tenantId, String userId, List<String> hashes) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = :user").param("user", userId).update();
        for (String hash : hashes) {
            jdbc.sql("INSERT INTO recovery_codes (tenant_id, user_id, code_hash) VALUES (:tenant, :user, :hash)")
                    .param("tenant", tenantId).param("user", userId).param("hash", hash).update();
        }
    }

    public boolean useRecoveryCode(String userId, String hash) {
        return jdbc.sql("UPDATE recovery_codes SET used_at = now() WHERE user_id = :user AND code_hash = :hash AND used_at IS NULL")
                .param("user", userId).param("hash", hash).update() == 1;
    }

    public int unusedRecoveryCodes(String userId) {
        return jdbc.sql("SELECT count(*) FROM recovery_codes WHERE user_id = :user AND used_at IS NULL").param("user", userId).query(Integer.class).single();
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
