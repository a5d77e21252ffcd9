package io.vippanel.dns.internal;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.DnsRecord;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DriftItem;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.dns.internal.provider.RecordSet;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Zones, their records (the wanted state) and the record sets waiting for the provider. Reads filter by the scope's
 * tenant path (row-level security checks it again).
 */
@Repository
public class DnsZoneRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT z.*, a.name AS account_name, a.kind AS account_kind,
                   (SELECT count(*) FROM dns_pending_sets p WHERE p.zone_id = z.id) AS pending_sets
              FROM dns_zones z JOIN tenants t ON t.id = z.tenant_id JOIN dns_accounts a ON a.id = z.account_id
            """;

    private final JdbcClient jdbc;

    public DnsZoneRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A record set the panel wants, with the rows it is made of. */
    public record WantedSet(RecordSet set, List<String> recordIds) {
    }

    public void insert(String id, String tenantId, String accountId, String name, @Nullable String createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO dns_zones (id, tenant_id, account_id, name, status, created_by, created_at)
                VALUES (:id, :tenant, :account, :name, 'pending', :by, :now)
                """).param("id", id).param("tenant", tenantId).param("account", accountId).param("name", name)
                .param("by", createdBy).param("now", Timestamp.from(now)).update();
    }

    /** Whether any tenant holds a zone of that name (past row-level security). */
    public boolean nameTaken(String name) {
        return jdbc.sql("SELECT vip_dns_zone_taken(:name)").param("name", name).query(Boolean.class).single();
    }

    public Optional<DnsZone> find(String scope, String id) {
        return jdbc.sql(SELECT + " WHERE z.id = :id AND starts_with(t.path, :scope)").param("id", id).param("scope", scope)
                .query((rs, row) -> map(rs)).optional();
    }

    public List<DnsZone> list(String scope, @Nullable String search, int limit, int offset) {
        return jdbc.sql(SELECT + """
                 WHERE starts_with(t.path, :scope) AND (CAST(:search AS text) IS NULL OR z.name LIKE '%' || lower(:search) || '%')
                 ORDER BY z.name LIMIT :limit OFFSET :offset
                """).param("scope", scope).param("search", search).param("limit", limit).param("offset", offset)
                .query((rs, row) -> map(rs)).list();
    }

    public long count(String scope, @Nullable String search) {
        return jdbc.sql("""
                SELECT count(*) FROM dns_zones z JOIN tenants t ON t.id = z.tenant_id
                 WHERE starts_with(t.path, :scope) AND (CAST(:search AS text) IS NULL OR z.name LIKE '%' || lower(:search) || '%')
                """).param("scope", scope).param("search", search).query(Long.class).single();
    }

    /** Every zone in the scope that may hold {@code host}: the zone itself or an ancestor, longest name first. */
    public List<DnsZone> enclosing(String scope, String host) {
        return jdbc.sql(SELECT + """
                 WHERE starts_with(t.path, :scope) AND (z.name = :host OR right(:host, length(z.name) + 1) = '.' || z.name)
                 ORDER BY length(z.name) DESC
                """).param("scope", scope).param("host", host).query((rs, row) -> map(rs)).list();
    }

    /**
     * The zones of exactly the tenant at {@code tenantPath} (not its sub-tenants) that may hold {@code host}, longest
     * name first.
     */
    public List<DnsZone> enclosingOf(String tenantPath, String host) {
        return jdbc.sql(SELECT + """
                 WHERE t.path = :path AND (z.name = :host OR right(:host, length(z.name) + 1) = '.' || z.name)
                 ORDER BY length(z.name) DESC
                """).param("path", tenantPath).param("host", host).query((rs, row) -> map(rs)).list();
    }

    /** Zones the recurring drift check looks at. */
    public List<DnsZone> active() {
        return jdbc.sql(SELECT + " WHERE z.status IN ('active', 'failed') AND z.provider_zone_id IS NOT NULL ORDER BY z.name")
                .query((rs, row) -> map(rs)).list();
    }

    public Optional<String> providerZoneId(String zoneId) {
        return jdbc.sql("SELECT provider_zone_id FROM dns_zones WHERE id = :id").param("id", zoneId)
                .query(String.class).optional();
    }

    public void markCreated(String zoneId, String providerZoneId, List<String> nameservers) {
        jdbc.sql("UPDATE dns_zones SET provider_zone_id = :provider, nameservers = CAST(:ns AS jsonb) WHERE id = :id")
                .param("id", zoneId).param("provider", providerZoneId).param("ns", JSON.writeValueAsString(nameservers)).update();
    }

    public void setStatus(String zoneId, ZoneStatus status, @Nullable String note) {
        jdbc.sql("UPDATE dns_zones SET status = :status, status_note = :note WHERE id = :id")
                .param("id", zoneId).param("status", status.key()).param("note", note).update();
    }

    public void markApplied(String zoneId, Instant now) {
        jdbc.sql("UPDATE dns_zones SET status = 'active', status_note = NULL, applied_at = :now WHERE id = :id")
                .param("id", zoneId).param("now", Timestamp.from(now)).update();
    }

    /** Takes the zone's sync lease when nobody holds it (or the holder's has run out). */
    public boolean takeLease(String zoneId, Instant now, Instant until) {
        return jdbc.sql("""
                UPDATE dns_zones SET sync_lease_until = :until
                 WHERE id = :id AND (sync_lease_until IS NULL OR sync_lease_until < :now)
                """).param("id", zoneId).param("now", Timestamp.from(now)).param("until", Timestamp.from(until)).update() == 1;
    }

    public void releaseLease(String zoneId) {
        jdbc.sql("UPDATE dns_zones SET sync_lease_until = NULL WHERE id = :id").param("id", zoneId).update();
    }

    public void setLastJob(String zoneId, String jobId) {
        jdbc.sql("UPDATE dns_zones SET last_job_id = :job WHERE id = :id").param("id", zoneId).param("job", jobId).update();
    }

    public void setDnssec(String zoneId, boolean on, List<String> dsRecords) {
        jdbc.sql("UPDATE dns_zones SET dnssec = :on, ds_records = CAST(:ds AS jsonb) WHERE id = :id")
                .param("id", zoneId).param("on", on).param("ds", JSON.writeValueAsString(dsRecords)).update();
    }

    public void setDrift(String zoneId, List<DriftItem> drift, Instant now) {
        jdbc.sql("UPDATE dns_zones SET drift = CAST(:drift AS jsonb), drift_checked_at = :now WHERE id = :id")
                .param("id", zoneId).param("drift", JSON.writeValueAsString(drift)).param("now", Timestamp.from(now)).update();
    }

    public void deleteZone(String zoneId) {
        jdbc.sql("DELETE FROM dns_zones WHERE id = :id").param("id", zoneId).update();
    }

    // records

    public List<DnsRecord> records(String zoneId) {
        return jdbc.sql("""
                SELECT r.*, EXISTS (SELECT 1 FROM dns_pending_sets p
                                     WHERE p.zone_id = r.zone_id AND p.name = r.name AND p.type = r.type) AS pending
                  FROM dns_records r WHERE r.zone_id = :zone
                 ORDER BY r.name = (SELECT name FROM dns_zones WHERE id = :zone) DESC, r.name, r.type, r.content
                """).param("zone", zoneId).query((rs, row) -> record(rs)).list();
    }

    public Optional<DnsRecord> record(String zoneId, String recordId) {
        return jdbc.sql("SELECT r.*, false AS pending FROM dns_records r WHERE r.zone_id = :zone AND r.id = :id")
                .param("zone", zoneId).param("id", recordId).query((rs, row) -> record(rs)).optional();
    }

    /** The panel's records of the zone grouped into record sets (name, type), in a stable order. */
    public List<RecordSet> wantedSets(String zoneId) {
        Map<String, RecordSet> sets = new LinkedHashMap<>();
        for (DnsRecord record : records(zoneId)) {
            String key = record.name() + " " + record.type();
            RecordSet current = sets.get(key);
            List<String> contents = new ArrayList<>(current == null ? List.of() : current.contents());
            contents.add(record.content());
            sets.put(key, new RecordSet(record.name(), record.type(), current == null ? record.ttl() : Math.min(current.ttl(), record.ttl()), contents));
        }
        return List.copyOf(sets.values());
    }

    public void insertRecord(String id, String tenantId, String zoneId, String name, RecordType type, int ttl, String content,
                             @Nullable String siteId, Instant now) {
        jdbc.sql("""
                INSERT INTO dns_records (id, tenant_id, zone_id, name, type, ttl, content, site_id, created_at, updated_at)
                VALUES (:id, :tenant, :zone, :name, :type, :ttl, :content, :site, :now, :now)
                ON CONFLICT (zone_id, name, type, content) DO UPDATE SET ttl = EXCLUDED.ttl, updated_at = EXCLUDED.updated_at
                """).param("id", id).param("tenant", tenantId).param("zone", zoneId).param("name", name)
                .param("type", type.name()).param("ttl", ttl).param("content", content).param("site", siteId)
                .param("now", Timestamp.from(now)).update();
    }

    /** A set's values share one TTL: setting one record's TTL sets the whole set's. */
    public void setTtl(String zoneId, String name, RecordType type, int ttl, Instant now) {
        jdbc.sql("UPDATE dns_records SET ttl = :ttl, updated_at = :now WHERE zone_id = :zone AND name = :name AND type = :type AND ttl <> :ttl")
                .param("zone", zoneId).param("name", name).param("type", type.name()).param("ttl", ttl)
                .param("now", Timestamp.from(now)).update();
    }

    public void deleteRecord(String zoneId, String recordId) {
        jdbc.sql("DELETE FROM dns_records WHERE zone_id = :zone AND id = :id").param("zone", zoneId).param("id", recordId).update();
    }

    /** Deletes one value of a set; returns whether it was there. */
    public boolean deleteValue(String zoneId, String name, RecordType type, String content) {
        return jdbc.sql("DELETE FROM dns_records WHERE zone_id = :zone AND name = :name AND type = :type AND content = :content")
                .param("zone", zoneId).param("name", name).param("type", type.name()).param("content", content).update() > 0;
    }

    public void deleteSet(String zoneId, String name, RecordType type) {
        jdbc.sql("DELETE FROM dns_records WHERE zone_id = :zone AND name = :name AND type = :type")
                .param("zone", zoneId).param("name", name).param("type", type.name()).update();
    }

    /** The records made for a site, in every zone of the scope. */
    public List<DnsRecord> siteRecords(String siteId) {
        return jdbc.sql("SELECT r.*, false AS pending FROM dns_records r WHERE r.site_id = :site ORDER BY r.name, r.type")
                .param("site", siteId).query((rs, row) -> record(rs)).list();
    }

    // pending sets

    public void markPending(String tenantId, String zoneId, String name, RecordType type, Instant now) {
        jdbc.sql("""
                INSERT INTO dns_pending_sets (tenant_id, zone_id, name, type, changed_at) VALUES (:tenant, :zone, :name, :type, :now)
                ON CONFLICT (zone_id, name, type) DO UPDATE SET changed_at = EXCLUDED.changed_at
                """).param("tenant", tenantId).param("zone", zoneId).param("name", name).param("type", type.name())
                .param("now", Timestamp.from(now)).update();
    }

    /** The sets waiting for the provider, with when each last changed. */
    public List<PendingSet> pendingSets(String zoneId) {
        return jdbc.sql("SELECT name, type, changed_at FROM dns_pending_sets WHERE zone_id = :zone ORDER BY name, type")
                .param("zone", zoneId).query((rs, row) -> new PendingSet(rs.getString("name"),
                        RecordType.valueOf(rs.getString("type")), rs.getTimestamp("changed_at").toInstant())).list();
    }

    /** Clears a pending set unless it changed again after {@code seen} (then the next sync takes it). */
    public void clearPending(String zoneId, PendingSet seen) {
        jdbc.sql("DELETE FROM dns_pending_sets WHERE zone_id = :zone AND name = :name AND type = :type AND changed_at <= :seen")
                .param("zone", zoneId).param("name", seen.name()).param("type", seen.type().name())
                .param("seen", Timestamp.from(seen.changedAt())).update();
    }

    public record PendingSet(String name, RecordType type, Instant changedAt) {
    }

    private static DnsRecord record(ResultSet rs) throws SQLException {
        return new DnsRecord(rs.getString("id"), rs.getString("zone_id"), rs.getString("name"),
                RecordType.valueOf(rs.getString("type")), rs.getInt("ttl"), rs.getString("content"), rs.getString("site_id"),
                rs.getBoolean("pending"));
    }

    private static DnsZone map(ResultSet rs) throws SQLException {
        String drift = rs.getString("drift");
        Timestamp driftChecked = rs.getTimestamp("drift_checked_at");
        Timestamp applied = rs.getTimestamp("applied_at");
        return new DnsZone(rs.getString("id"), rs.getString("tenant_id"), rs.getString("account_id"),
                rs.getString("account_name"), DnsProviderKind.valueOf(rs.getString("account_kind").toUpperCase(Locale.ROOT)),
                rs.getString("name"), ZoneStatus.of(rs.getString("status")), rs.getString("status_note"),
                List.of(JSON.readValue(rs.getString("nameservers"), String[].class)), rs.getBoolean("dnssec"),
                List.of(JSON.readValue(rs.getString("ds_records"), String[].class)), rs.getInt("pending_sets"),
                drift == null ? null : JSON.readValue(drift, new TypeReference<List<DriftItem>>() { }),
                driftChecked == null ? null : driftChecked.toInstant(), applied == null ? null : applied.toInstant(),
                rs.getString("last_job_id"), rs.getTimestamp("created_at").toInstant());
    }
}
