package io.vippanel.ssl.internal;

import io.vippanel.sites.SiteTls;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.CertificateSource;
import io.vippanel.ssl.CertificateStatus;
import io.vippanel.ssl.Challenge;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Sites' certificates: the request, the deployed certificate (key sealed), renewal state and the served check. */
@Repository
public class CertificateRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT c.*, s.domain AS site_domain
              FROM certificates c JOIN tenants t ON t.id = c.tenant_id JOIN sites s ON s.id = c.site_id
            """;

    private final JdbcClient jdbc;

    public CertificateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The deployed certificate's secret parts, for the jobs that put it on the server. */
    public record Stored(Certificate view, @Nullable String chainPem, @Nullable String sealedKey) {
    }

    /** The certificate as issued or uploaded, ready to store. */
    public record Material(CertificateSource source, String chainPem, String sealedKey, String serial, String fingerprint,
                           String issuer, List<String> names, Instant notBefore, Instant notAfter, boolean ocspStapling,
                           @Nullable Instant renewAfter) {
    }

    public Optional<Certificate> find(String scope, String id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id AND starts_with(t.path, :scope)").param("id", id).param("scope", scope)
                .query((rs, row) -> map(rs)).optional();
    }

    public Optional<Certificate> findBySite(String scope, String siteId) {
        return jdbc.sql(SELECT + " WHERE c.site_id = :site AND starts_with(t.path, :scope)").param("site", siteId)
                .param("scope", scope).query((rs, row) -> map(rs)).optional();
    }

    public Optional<Stored> stored(String id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id").param("id", id)
                .query((rs, row) -> new Stored(map(rs), rs.getString("chain_pem"), rs.getString("private_key"))).optional();
    }

    public List<Certificate> list(String scope, int limit, int offset) {
        return jdbc.sql(SELECT + " WHERE starts_with(t.path, :scope) ORDER BY s.domain, c.id LIMIT :limit OFFSET :offset")
                .param("scope", scope).param("limit", limit).param("offset", offset).query((rs, row) -> map(rs)).list();
    }

    public long count(String scope) {
        return jdbc.sql("SELECT count(*) FROM certificates c JOIN tenants t ON t.id = c.tenant_id WHERE starts_with(t.path, :scope)")
                .param("scope", scope).query(Long.class).single();
    }

    /** Certificates with an alert, the oldest alert first: what the dashboard shows. */
    public List<Certificate> alerting(String scope, int limit) {
        return jdbc.sql(SELECT + " WHERE starts_with(t.path, :scope) AND c.alert IS NOT NULL ORDER BY c.alert_since, c.id LIMIT :limit")
                .param("scope", scope).param("limit", limit).query((rs, row) -> map(rs)).list();
    }

    public void insert(String id, String tenantId, String siteId, CertificateSource source, Challenge challenge,
                       List<String> names, boolean hsts, @Nullable String createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO certificates (id, tenant_id, site_id, source, challenge, names, hsts, status, created_by,
                                          created_at, updated_at)
                VALUES (:id, :tenant, :site, :source, :challenge, CAST(:names AS jsonb), :hsts, 'pending', :by, :now, :now)
                """).param("id", id).param("tenant", tenantId).param("site", siteId).param("source", source.key())
                .param("challenge", challenge.key()).param("names", JSON.writeValueAsString(names)).param("hsts", hsts)
                .param("by", createdBy).param("now", Timestamp.from(now)).update();
    }

    /** A new request on an existing row: what to order next; the deployed certificate stays until replaced. */
    public void request(String id, CertificateSource source, Challenge challenge, List<String> names, boolean hsts, Instant now) {
        jdbc.sql("""
                UPDATE certificates SET source = :source, challenge = :challenge, names = CAST(:names AS jsonb), hsts = :hsts,
                       status = 'pending', status_note = NULL, renewal_failures = 0, next_attempt_at = NULL, updated_at = :now
                 WHERE id = :id
                """).param("id", id).param("source", source.key()).param("challenge", challenge.key())
                .param("names", JSON.writeValueAsString(names)).param("hsts", hsts).param("now", Timestamp.from(now)).update();
    }

    public void setStatus(String id, CertificateStatus status, @Nullable String note, Instant now) {
        jdbc.sql("UPDATE certificates SET status = :status, status_note = :note, updated_at = :now WHERE id = :id")
                .param("id", id).param("status", status.key()).param("note", note).param("now", Timestamp.from(now)).update();
    }

    public void setLastJob(String id, String jobId) {
        jdbc.sql("UPDATE certificates SET last_job_id = :job WHERE id = :id").param("id", id).param("job", jobId).update();
    }

    /** Stores a new certificate to deploy; it becomes the served one once {@link #markDeployed} runs. */
    public void store(String id, Material material, Map<String, Long> stepTimings, Instant now) {
        jdbc.sql("""
                UPDATE certificates SET source = :source, chain_pem = :chain, private_key = :key, serial = :serial,
                       fingerprint = :fingerprint, issuer = :issuer, cert_names = CAST(:names AS jsonb),
                       not_before = :notBefore, not_after = :notAfter, ocsp_stapling = :stapling, renew_after = :renewAfter,
                       step_timings = CAST(:timings AS jsonb), status = 'deploying', status_note = NULL, updated_at = :now
                 WHERE id = :id
                """).param("id", id).param("source", material.source().key()).param("chain", material.chainPem())
                .param("key", material.sealedKey()).param("serial", material.serial()).param("fingerprint", material.fingerprint())
                .param("issuer", material.issuer()).param("names", JSON.writeValueAsString(material.names()))
                .param("notBefore", Timestamp.from(material.notBefore())).param("notAfter", Timestamp.from(material.notAfter()))
                .param("stapling", material.ocspStapling()).param("renewAfter", timestamp(material.renewAfter()))
                .param("timings", JSON.writeValueAsString(stepTimings)).param("now", Timestamp.from(now)).update();
    }

    public void markDeployed(String id, Map<String, Long> stepTimings, Instant now) {
        jdbc.sql("""
                UPDATE certificates SET status = 'valid', status_note = NULL, deployed_at = :now, renewal_failures = 0,
                       next_attempt_at = NULL, step_timings = CAST(:timings AS jsonb), updated_at = :now
                 WHERE id = :id
                """).param("id", id).param("timings", JSON.writeValueAsString(stepTimings)).param("now", Timestamp.from(now)).update();
    }

    /** A failed issuance or renewal: the deployed certificate (if any) stays; the next attempt waits for the backoff. */
    public void failed(String id, String note, int renewalFailures, @Nullable Instant nextAttempt, Instant now) {
        jdbc.sql("""
                UPDATE certificates SET status = 'failed', status_note = :note, renewal_failures = :failures,
                       next_attempt_at = :next, updated_at = :now
                 WHERE id = :id
                """).param("id", id).param("note", note).param("failures", renewalFailures).param("next", timestamp(nextAttempt))
                .param("now", Timestamp.from(now)).update();
    }

    public void setRenewAfter(String id, @Nullable Instant renewAfter, Instant ariCheckedAt) {
        jdbc.sql("UPDATE certificates SET renew_after = :at, ari_checked_at = :checked WHERE id = :id").param("id", id)
                .param("at", timestamp(renewAfter)).param("checked", Timestamp.from(ariCheckedAt)).update();
    }

    public void recordServed(String id, Certificate.Served served) {
        jdbc.sql("""
                UPDATE certificates SET served_checked_at = :at, served_address = :address, served_serial = :serial,
                       served_fingerprint = :fingerprint, served_issuer = :issuer, served_names = CAST(:names AS jsonb),
                       served_not_after = :notAfter, served_trusted = :trusted, served_problem = :problem
                 WHERE id = :id
                """).param("id", id).param("at", Timestamp.from(served.checkedAt())).param("address", served.address())
                .param("serial", served.serial()).param("fingerprint", served.fingerprint()).param("issuer", served.issuer())
                .param("names", JSON.writeValueAsString(served.names())).param("notAfter", timestamp(served.notAfter()))
                .param("trusted", served.trusted()).param("problem", served.problem()).update();
    }

    /** Sets the alert; an alert already raised keeps its start time. */
    public void setAlert(String id, @Nullable String alert, Instant now) {
        jdbc.sql("""
                UPDATE certificates SET alert = :alert,
                       alert_since = CASE WHEN CAST(:alert AS text) IS NULL THEN NULL ELSE coalesce(alert_since, :now) END
                 WHERE id = :id
                """).param("id", id).param("alert", alert).param("now", Timestamp.from(now)).update();
    }

    /** ACME certificates whose renewal time has come and that are not waiting out a backoff or being worked on. */
    public List<String> dueForRenewal(Instant now) {
        return jdbc.sql("""
                SELECT id FROM certificates
                 WHERE source = 'acme' AND deployed_at IS NOT NULL AND renew_after <= :now
                   AND status IN ('valid', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
                 ORDER BY renew_after
                """).param("now", Timestamp.from(now)).query(String.class).list();
    }

    /** ACME certificates whose renewal information was not asked for since {@code before}. */
    public List<String> renewalInfoDue(Instant before) {
        return jdbc.sql("""
                SELECT id FROM certificates
                 WHERE source = 'acme' AND deployed_at IS NOT NULL AND (ari_checked_at IS NULL OR ari_checked_at < :before)
                """).param("before", Timestamp.from(before)).query(String.class).list();
    }

    /** Certificates a job is said to be working on. */
    public List<Certificate> working() {
        return jdbc.sql(SELECT + " WHERE c.status IN ('pending', 'issuing', 'deploying') ORDER BY c.id").query((rs, row) -> map(rs)).list();
    }

    /** Every certificate deployed on a server, for the served-certificate check. */
    public List<String> deployed() {
        return jdbc.sql("SELECT id FROM certificates WHERE deployed_at IS NOT NULL ORDER BY id").query(String.class).list();
    }

    public SiteTls.Settings tlsSettings(String siteId) {
        return jdbc.sql("SELECT deployed_at IS NOT NULL AS enabled, hsts, ocsp_stapling FROM certificates WHERE site_id = :site")
                .param("site", siteId)
                .query((rs, row) -> new SiteTls.Settings(rs.getBoolean("enabled"), rs.getBoolean("enabled") && rs.getBoolean("hsts"),
                        rs.getBoolean("enabled") && rs.getBoolean("ocsp_stapling")))
                .optional().orElse(SiteTls.PLAIN);
    }

    /** Forgets the deployed certificate: the site is back on plain HTTP. */
    public void delete(String id) {
        jdbc.sql("DELETE FROM certificates WHERE id = :id").param("id", id).update();
    }

    private static Certificate map(ResultSet rs) throws SQLException {
        Timestamp servedAt = rs.getTimestamp("served_checked_at");
        Certificate.Served served = null;
        if (servedAt != null) {
            String servedFingerprint = rs.getString("served_fingerprint");
            String fingerprint = rs.getString("fingerprint");
            boolean matches = servedFingerprint != null && servedFingerprint.equals(fingerprint);
            String servedNames = rs.getString("served_names");
            served = new Certificate.Served(servedAt.toInstant(), rs.getString("served_address"), rs.getString("served_serial"),
                    servedFingerprint, rs.getString("served_issuer"), servedNames == null ? List.of() : strings(servedNames),
                    instant(rs, "served_not_after"), (Boolean) rs.getObject("served_trusted"), matches, rs.getString("served_problem"));
        }
        return new Certificate(rs.getString("id"), rs.getString("tenant_id"), rs.getString("site_id"), rs.getString("site_domain"),
                CertificateSource.fromKey(rs.getString("source")), Objects.requireNonNull(Challenge.fromKey(rs.getString("challenge"))),
                strings(rs.getString("names")), rs.getBoolean("hsts"), CertificateStatus.fromKey(rs.getString("status")),
                rs.getString("status_note"), rs.getString("serial"), rs.getString("fingerprint"), rs.getString("issuer"),
                strings(rs.getString("cert_names")), instant(rs, "not_before"), instant(rs, "not_after"),
                rs.getBoolean("ocsp_stapling"), instant(rs, "deployed_at"), instant(rs, "renew_after"),
                rs.getInt("renewal_failures"), instant(rs, "next_attempt_at"), served, rs.getString("alert"),
                instant(rs, "alert_since"), JSON.readValue(rs.getString("step_timings"), new TypeReference<Map<String, Long>>() { }),
                rs.getString("last_job_id"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> strings(String json) {
        return List.of(JSON.readValue(json, String[].class));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
