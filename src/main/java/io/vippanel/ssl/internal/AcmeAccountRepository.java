package io.vippanel.ssl.internal;

import io.vippanel.ssl.AcmeAccountView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The platform's ACME accounts, one per CA directory. */
@Repository
public class AcmeAccountRepository {

    private final JdbcClient jdbc;

    public AcmeAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account with its encrypted key, for the code that talks to the CA. */
    public record Stored(AcmeAccountView view, String encryptedKey) {
    }

    public List<AcmeAccountView> list() {
        return jdbc.sql("SELECT * FROM acme_accounts ORDER BY created_at").query((rs, row) -> map(rs)).list();
    }

    public Optional<Stored> findByDirectory(String directoryUrl) {
        return jdbc.sql("SELECT * FROM acme_accounts WHERE directory_url = :url").param("url", directoryUrl)
                .query((rs, row) -> new Stored(map(rs), rs.getString("account_key"))).optional();
    }

    public void save(String id, String directoryUrl, String encryptedKey, String accountUrl, @Nullable String contactEmail,
                     @Nullable String termsUrl, @Nullable String acceptedBy, @Nullable Instant acceptedAt, Instant now) {
        jdbc.sql("""
                INSERT INTO acme_accounts (id, directory_url, account_key, account_url, contact_email, terms_url,
                                           terms_accepted_by, terms_accepted_at, created_at, updated_at)
                VALUES (:id, :url, :key, :account, :email, :terms, :by, :at, :now, :now)
                ON CONFLICT (id) DO UPDATE SET account_url = EXCLUDED.account_url, contact_email = EXCLUDED.contact_email,
                    terms_url = EXCLUDED.terms_url, terms_accepted_by = EXCLUDED.terms_accepted_by,
                    terms_accepted_at = EXCLUDED.terms_accepted_at, updated_at = EXCLUDED.updated_at
                """).param("id", id).param("url", directoryUrl).param("key", encryptedKey).param("account", accountUrl)
                .param("email", contactEmail).param("terms", termsUrl).param("by", acceptedBy)
                .param("at", acceptedAt == null ? null : Timestamp.from(acceptedAt)).param("now", Timestamp.from(now)).update();
    }

    private static AcmeAccountView map(ResultSet rs) throws SQLException {
        Timestamp accepted = rs.getTimestamp("terms_accepted_at");
        return new AcmeAccountView(rs.getString("id"), rs.getString("directory_url"), rs.getString("account_url"),
                rs.getString("contact_email"), rs.getString("terms_url"), rs.getString("terms_accepted_by"),
                accepted == null ? null : accepted.toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
