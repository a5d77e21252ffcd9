package io.vippanel.identity.internal;

import io.vippanel.identity.UserAccount;
import io.vippanel.tenancy.Role;
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

/** User rows; reads name the subtree they may see, row-level security checks it again. */
@Repository
public class UserRepository {

    private static final String SELECT = """
            SELECT u.*, t.name AS tenant_name, t.path AS tenant_path
              FROM users u JOIN tenants t ON t.id = u.tenant_id
            """;

    /** What login needs beyond the public view: the secrets and counters. */
    public record Credentials(UserAccount account, @Nullable String passwordHash, @Nullable String totpSecret,
                              @Nullable Long totpLastStep, int failedLogins, @Nullable Instant lockedUntil) {
    }

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Credentials> credentialsByEmail(String email) {
        if (email.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold a NUL byte, so no stored address has one (and the query would fail).
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " WHERE u.email = :email").param("email", email).query(UserRepository::credentials).optional();
    }

    public Optional<Credentials> credentialsById(String id) {
        return jdbc.sql(SELECT + " WHERE u.id = :id").param("id", id).query(UserRepository::credentials).optional();
    }

    public Optional<UserAccount> find(String id, String scope) {
        return jdbc.sql(SELECT + " WHERE u.id = :id AND starts_with(t.path, :scope)").param("id", id).param("scope", scope)
                .query(UserRepository::account).optional();
    }

    public boolean anyWithRole(Role role) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE role = :role)").param("role", role.dbValue()).query(Boolean.class).single();
    }

    public boolean emailTaken(String email) {
        return jdbc.sql("SELECT vip_email_taken(:email)").param("email", email).query(Boolean.class).single();
    }

    public List<UserAccount> list(String scope, @Nullable String tenantId, int limit, int offset) {
        return jdbc.sql(SELECT + """
                 WHERE starts_with(t.path, :scope) AND (CAST(:tenant AS text) IS NULL OR u.tenant_id = CAST(:tenant AS text))
                 ORDER BY t.path, u.email LIMIT :limit OFFSET :offset
                """)
                .param("scope", scope).param("tenant", tenantId).param("limit", limit).param("offset", offset)
                .query(UserRepository::account).list();
    }

    public int count(String scope) {
        return jdbc.sql("SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE starts_with(t.path, :scope)")
                .param("scope", scope).query(Integer.class).single();
    }

    public void insert(String id, String tenantId, String email, String displayName, Role role, UserAccount.Status status,
                       @Nullable String passwordHash) {
        jdbc.sql("""
                INSERT INTO users (id, tenant_id, email, display_name, role, status, password_hash)
                VALUES (:id, :tenant, :email, :name, :role, :status, :hash)
                """)
                .param("id", id).param("tenant", tenantId).param("email", email).param("name", displayName)
                .param("role", role.dbValue()).param("status", status.dbValue()).param("hash", passwordHash)
                .update();
    }

    public void setPassword(String id, String passwordHash) {
        jdbc.sql("""
                UPDATE users SET password_hash = :hash, status = CASE WHEN status = 'invited' THEN 'active' ELSE status END,
                       failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = :id
                """).param("hash", passwordHash).param("id", id).update();
    }

    public void setRole(String id, Role role) {
        jdbc.sql("UPDATE users SET role = :role, updated_at = now() WHERE id = :id").param("role", role.dbValue()).param("id", id).update();
    }

    public void setStatus(String id, UserAccount.Status status) {
        jdbc.sql("UPDATE users SET status = :status, updated_at = now() WHERE id = :id").param("status", status.dbValue()).param("id", id).update();
    }

    public void setTotp(String id, @Nullable String encryptedSecret) {
        jdbc.sql("""
                UPDATE users SET totp_secret = :secret, totp_enabled_at = CASE WHEN CAST(:secret AS text) IS NULL THEN NULL ELSE now() END,
                       totp_last_step = NULL, updated_at = now() WHERE id = :id
                """).param("secret", encryptedSecret).param("id", id).update();
    }

    /** Records the used time step; false when it was already used (a replayed code). */
    public boolean claimTotpStep(String id, long step) {
        return jdbc.sql("UPDATE users SET totp_last_step = :step WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)")
                .param("step", step).param("id", id).update() == 1;
    }

    public void recordFailure(String id, int lockAfter, java.time.Duration lockout) {
        jdbc.sql("""
                UPDATE users SET failed_logins = failed_logins + 1,
                       locked_until = CASE WHEN failed_logins + 1 >= :lockAfter THEN now() + make_interval(secs => :seconds) ELSE locked_until END
                 WHERE id = :id
                """).param("lockAfter", lockAfter).param("seconds", lockout.toSeconds()).param("id", id).update();
    }

    public void recordLogin(String id) {
        jdbc.sql("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = :id").param("id", id).update();
    }

    private static Credentials credentials(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp("locked_until");
        long step = rs.getLong("totp_last_step");
        return new Credentials(account(rs, row), rs.getString("password_hash"), rs.getString("totp_secret"),
                rs.wasNull() ? null : step, rs.getInt("failed_logins"), locked == null ? null : locked.toInstant());
    }

    private static UserAccount account(ResultSet rs, int row) throws SQLException {
        Timestamp lastLogin = rs.getTimestamp("last_login_at");
        return new UserAccount(rs.getString("id"), rs.getString("tenant_id"), rs.getString("tenant_name"), rs.getString("tenant_path"),
                rs.getString("email"), rs.getString("display_name"), Role.fromDb(rs.getString("role")),
                UserAccount.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getTimestamp("totp_enabled_at") != null,
                lastLogin == null ? null : lastLogin.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
