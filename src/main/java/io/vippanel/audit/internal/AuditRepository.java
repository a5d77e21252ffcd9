package io.vippanel.audit.internal;

import io.vippanel.audit.AuditEntry;
import io.vippanel.audit.AuditFilter;
import io.vippanel.audit.AuditTrail;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.RequestOrigin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Audit rows: appended only through the database function that links them, read within a subtree. */
@Repository
public class AuditRepository {

    private static final String FILTER = """
             FROM audit_log a JOIN tenants t ON t.id = a.tenant_id
            WHERE starts_with(t.path, :scope)
              AND (CAST(:actor AS text) IS NULL OR a.actor_email ILIKE '%' || CAST(:actor AS text) || '%' OR a.actor_id = CAST(:actor AS text))
              AND (CAST(:action AS text) IS NULL OR a.action LIKE CAST(:action AS text) || '%')
              AND (CAST(:target AS text) IS NULL OR a.target_id = CAST(:target AS text) OR a.tenant_id = CAST(:target AS text))
              AND (CAST(:from AS timestamptz) IS NULL OR a.occurred_at >= CAST(:from AS timestamptz))
              AND (CAST(:to AS timestamptz) IS NULL OR a.occurred_at < CAST(:to AS timestamptz))
            """;

    private final JdbcClient jdbc;

    public AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void append(AuditEvent event, RequestOrigin origin, String detailsJson) {
        jdbc.sql("SELECT audit_append(:id, :tenant, :actor, :email, :action, :ttype, :tid, :outcome, :ip, :ua, CAST(:details AS jsonb))")
                .param("id", Ids.newId("aud")).param("tenant", event.tenantId()).param("actor", event.actorId())
                .param("email", storable(event.actorEmail())).param("action", event.action()).param("ttype", event.targetType())
                .param("tid", storable(event.targetId())).param("outcome", event.outcome().name().toLowerCase(Locale.ROOT))
                .param("ip", origin.ip()).param("ua", origin.userAgent()).param("details", detailsJson)
                .query((rs, row) -> null).list();
    }

    public List<AuditEntry> list(String scope, AuditFilter filter, int limit, int offset) {
        return filtered("SELECT a.* " + FILTER + " ORDER BY a.seq DESC LIMIT :limit OFFSET :offset", scope, filter)
                .param("limit", limit).param("offset", offset)
                .query(AuditRepository::map).list();
    }

    public long count(String scope, AuditFilter filter) {
        return filtered("SELECT count(*) " + FILTER, scope, filter).query(Long.class).single();
    }

    private JdbcClient.StatementSpec filtered(String sql, String scope, AuditFilter filter) {
        return jdbc.sql(sql).param("scope", scope)
                .param("actor", blankToNull(filter.actor())).param("action", blankToNull(filter.action()))
                .param("target", blankToNull(filter.target()))
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()));
    }

    /** Walks the whole chain in order and reports the first entry whose content or link does not match. */
    @Transactional(readOnly = true)
    public AuditTrail.Verification verify() {
        AtomicReference<String> previousHash = new AtomicReference<>("0".repeat(64));
        AtomicLong checked = new AtomicLong();
        AtomicReference<AuditTrail.Verification> broken = new AtomicReference<>();
        jdbc.sql("SELECT a.seq, a.id, a.prev_hash, a.hash, audit_hash(a) AS recomputed FROM audit_log a ORDER BY a.seq")
                .query(rs -> {
                    if (broken.get() != null) {
                        return;
                    }
                    long seq = rs.getLong("seq");
                    String id = rs.getString("id");
                    if (!rs.getString("prev_hash").equals(previousHash.get())) {
                        broken.set(new AuditTrail.Verification(false, checked.get(), "audit trail BROKEN at entry #" + seq + " (" + id
                                + "): it does not link to the entry before it (an entry was removed or inserted)"));
                    } else if (!rs.getString("hash").equals(rs.getString("recomputed"))) {
                        broken.set(new AuditTrail.Verification(false, checked.get(), "audit trail BROKEN at entry #" + seq + " (" + id
                                + "): its content was altered after it was written"));
                    } else {
                        previousHash.set(rs.getString("hash"));
                        checked.incrementAndGet();
                    }
                });
        return broken.get() != null ? broken.get()
                : new AuditTrail.Verification(true, checked.get(), "audit trail intact: " + checked.get() + " entries verified");
    }

    /** Raw input such as a typed email may hold NUL, which PostgreSQL text cannot store; it is kept visible as U+FFFD. */
    private static String storable(String value) {
        return value == null ? null : value.replace('\0', '\uFFFD');
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getString("id"), rs.getString("tenant_id"), rs.getString("actor_id"),
                rs.getString("actor_email"), rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("outcome"), rs.getString("ip"), rs.getString("user_agent"), rs.getString("details"),
                rs.getTimestamp("occurred_at").toInstant());
    }
}
