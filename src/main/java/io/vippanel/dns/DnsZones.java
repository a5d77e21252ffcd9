package io.vippanel.dns;

import io.vippanel.dns.internal.DnsJobTypes;
import io.vippanel.dns.internal.DnsZoneRepository;
import io.vippanel.dns.internal.zone.RecordInput;
import io.vippanel.dns.internal.zone.ZoneFileParser;
import io.vippanel.dns.internal.zone.ZoneFileWriter;
import io.vippanel.dns.internal.zone.ZoneImport;
import io.vippanel.dns.internal.zone.ZoneProblem;
import io.vippanel.dns.internal.zone.ZoneRecord;
import io.vippanel.dns.internal.zone.ZoneRules;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Zones and their records. The panel's records are the wanted state; every change marks its record set pending and
 * queues a sync job in the same transaction, which gives all pending sets to the provider in one batch and then waits
 * until the zone's servers answer them.
 */
@Service
public class DnsZones {

    public static final int MAX_PAGE = 100;
    /** Records a zone may hold in the panel; far above what a hosting customer's zone needs. */
    public static final int MAX_RECORDS = 5_000;

    private final DnsZoneRepository repository;
    private final DnsAccounts accounts;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public DnsZones(DnsZoneRepository repository, DnsAccounts accounts, Jobs jobs, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.accounts = accounts;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<DnsZone> list(Actor actor, @Nullable String search, int limit, int offset) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        Validation.requirePage(limit, offset, MAX_PAGE);
        return repository.list(actor.actingTenantPath(), blankToNull(search), limit, offset);
    }

    @Transactional(readOnly = true)
    public long count(Actor actor, @Nullable String search) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        return repository.count(actor.actingTenantPath(), blankToNull(search));
    }

    @Transactional(readOnly = true)
    public DnsZone get(Actor actor, String zoneId) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        return visible(actor, zoneId);
    }

    @Transactional(readOnly = true)
    public List<DnsRecord> records(Actor actor, String zoneId) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        return repository.records(visible(actor, zoneId).id());
    }

    /**
     * Writes the zone {@code pending} (with the records of the zone file, if one is given) and queues the job that
     * creates it at the provider. A zone name has one owner in the whole panel.
     *
     * @throws InvalidInput with a message per field ({@code accountId}, {@code name}, {@code zoneFile})
     */
    @Transactional
    public ZoneCreated create(Actor actor, NewZone form) {
        AccessPolicy.require(actor, Permission.DNS_MANAGE);
        Validation validation = new Validation();
        DnsAccount account = null;
        try {
            account = accounts.usable(actor, "accountId", form.accountId());
        } catch (InvalidInput e) {
            e.fieldErrors().forEach(validation::reject);
        }
        String name = zoneName(validation, form.name());
        validation.throwIfInvalid();
        ZoneImport file = form.zoneFile() == null || form.zoneFile().isBlank() ? new ZoneImport(List.of(), List.of(), List.of())
                : parse(name, form.zoneFile());
        String id = Ids.newId("zone");
        try {
            repository.insert(id, actor.actingTenantId(), Objects.requireNonNull(account).id(), name, actor.userId(), clock.instant());
        } catch (DuplicateKeyException e) {
            throw new InvalidInput("name", taken(name));
        }
        Instant now = clock.instant();
        for (RecordSet set : file.records()) {
            for (String content : set.contents()) {
                repository.insertRecord(Ids.newId("rec"), actor.actingTenantId(), id, set.name(), set.type(), set.ttl(), content, null, now);
            }
            repository.markPending(actor.actingTenantId(), id, set.name(), set.type(), now);
        }
        DnsZone zone = visible(actor, id);
        Job job = enqueue(actor, zone, DnsJobTypes.CREATE_ZONE, "Create DNS zone " + name);
        audit(actor, zone, "dns_zone.create", Map.of("name", name, "account", account.id(), "records",
                file.records().stream().mapToInt(set -> set.contents().size()).sum(), "job", job.id()));
        return new ZoneCreated(visible(actor, id), job.id(), notes(file));
    }

    /** Queues the job that deletes the zone at the provider and then in the panel. */
    @Transactional
    public String delete(Actor actor, String zoneId, @Nullable String confirmName) {
        DnsZone zone = manageable(actor, zoneId);
        String confirm = confirmName == null ? "" : confirmName.strip().toLowerCase(Locale.ROOT);
        if (confirm.endsWith(".")) {
            confirm = confirm.substring(0, confirm.length() - 1);
        }
        if (!confirm.equals(zone.name()) && !confirm.equals(java.net.IDN.toUnicode(zone.name()))) {
            throw new InvalidInput("confirm", "Type the zone's name, " + zone.name() + ", to confirm.");
        }
        if (zone.status() == ZoneStatus.DELETING) {
            throw new InvalidInput("confirm", "The zone is already being deleted.");
        }
        repository.setStatus(zone.id(), ZoneStatus.DELETING, "Deletion queued.");
        Job job = enqueue(actor, zone, DnsJobTypes.DELETE_ZONE, "Delete DNS zone " + zone.name());
        audit(actor, zone, "dns_zone.delete", Map.of("name", zone.name(), "job", job.id()));
        return job.id();
    }

    /** Adds one record value (a set's TTL follows the newest value's). */
    @Transactional
    public RecordsChanged addRecord(Actor actor, String zoneId, RecordEdit edit) {
        DnsZone zone = changeable(actor, zoneId);
        ZoneRecord record = normalise(zone, edit);
        List<RecordSet> current = repository.wantedSets(zone.id());
        if (current.stream().mapToInt(set -> set.contents().size()).sum() >= MAX_RECORDS) {
            throw new InvalidInput(RecordInput.NAME, "The zone holds " + MAX_RECORDS + " records, the most the panel keeps.");
        }
        List<RecordSet> after = withChange(current, null, record);
        requireConsistent(zone, after, "");
        Instant now = clock.instant();
        String id = Ids.newId("rec");
        repository.insertRecord(id, zone.tenantId(), zone.id(), record.name(), record.type(), record.ttl(), record.content(), null, now);
        repository.setTtl(zone.id(), record.name(), record.type(), record.ttl(), now);
        repository.markPending(zone.tenantId(), zone.id(), record.name(), record.type(), now);
        Job job = sync(actor, zone);
        audit(actor, zone, "dns_record.create", describe(record, job));
        return new RecordsChanged(List.of(written(zone, record)), job.id(), List.of());
    }

    /** Changes one record value; moving it to another name or type pends both sets. */
    @Transactional
    public RecordsChanged updateRecord(Actor actor, String zoneId, String recordId, RecordEdit edit) {
        DnsZone zone = changeable(actor, zoneId);
        DnsRecord old = record(zone, recordId);
        ZoneRecord record = normalise(zone, edit);
        List<RecordSet> after = withChange(repository.wantedSets(zone.id()), old, record);
        requireConsistent(zone, after, "");
        Instant now = clock.instant();
        repository.deleteRecord(zone.id(), old.id());
        repository.insertRecord(old.id(), zone.tenantId(), zone.id(), record.name(), record.type(), record.ttl(), record.content(),
                old.siteId(), now);
        repository.setTtl(zone.id(), record.name(), record.type(), record.ttl(), now);
        repository.markPending(zone.tenantId(), zone.id(), old.name(), old.type(), now);
        repository.markPending(zone.tenantId(), zone.id(), record.name(), record.type(), now);
        Job job = sync(actor, zone);
        Map<String, Object> details = describe(record, job);
        details.put("previous", old.name() + " " + old.type() + " " + old.content());
        audit(actor, zone, "dns_record.update", details);
        return new RecordsChanged(List.of(written(zone, record)), job.id(), List.of());
    }

    @Transactional
    public RecordsChanged deleteRecord(Actor actor, String zoneId, String recordId) {
        DnsZone zone = changeable(actor, zoneId);
        DnsRecord old = record(zone, recordId);
        Instant now = clock.instant();
        repository.deleteRecord(zone.id(), old.id());
        repository.markPending(zone.tenantId(), zone.id(), old.name(), old.type(), now);
        Job job = sync(actor, zone);
        audit(actor, zone, "dns_record.delete", Map.of("record", old.name() + " " + old.type() + " " + old.content(), "job", job.id()));
        return new RecordsChanged(List.of(), job.id(), List.of());
    }

    /**
     * Replaces every record set of the zone file in the zone (sets the file does not name stay as they are), as one
     * change for the provider.
     */
    @Transactional
    public RecordsChanged importZoneFile(Actor actor, String zoneId, @Nullable String text) {
        DnsZone zone = changeable(actor, zoneId);
        if (text == null || text.isBlank()) {
            throw new InvalidInput("zoneFile", "Paste or upload a zone file (BIND format).");
        }
        ZoneImport file = parse(zone.name(), text);
        if (file.records().isEmpty()) {
            throw new InvalidInput("zoneFile", "The file holds no records the panel manages"
                    + (file.notes().isEmpty() ? "." : ": " + String.join("; ", notes(file))));
        }
        Map<String, RecordSet> merged = new LinkedHashMap<>();
        repository.wantedSets(zone.id()).forEach(set -> merged.put(set.name() + " " + set.type(), set));
        file.records().forEach(set -> merged.put(set.name() + " " + set.type(), set));
        requireConsistent(zone, List.copyOf(merged.values()), "zoneFile");
        Instant now = clock.instant();
        List<DnsRecord> written = new ArrayList<>();
        for (RecordSet set : file.records()) {
            repository.deleteSet(zone.id(), set.name(), set.type());
            for (String content : set.contents()) {
                String id = Ids.newId("rec");
                repository.insertRecord(id, zone.tenantId(), zone.id(), set.name(), set.type(), set.ttl(), content, null, now);
                written.add(new DnsRecord(id, zone.id(), set.name(), set.type(), set.ttl(), content, null, true));
            }
            repository.markPending(zone.tenantId(), zone.id(), set.name(), set.type(), now);
        }
        Job job = sync(actor, zone);
        audit(actor, zone, "dns_zone.import", Map.of("sets", file.records().size(), "records", written.size(), "job", job.id()));
        return new RecordsChanged(written, job.id(), notes(file));
    }

    /** The zone's records as a BIND zone file. */
    @Transactional(readOnly = true)
    public String exportZoneFile(Actor actor, String zoneId) {
        AccessPolicy.require(actor, Permission.DNS_VIEW);
        DnsZone zone = visible(actor, zoneId);
        return ZoneFileWriter.write(zone.name(), repository.wantedSets(zone.id()), clock.instant());
    }

    /** Queues a sync of whatever is pending (after a failure, or to push drifted sets back). */
    @Transactional
    public String syncNow(Actor actor, String zoneId) {
        DnsZone zone = changeable(actor, zoneId);
        Job job = sync(actor, zone);
        audit(actor, zone, "dns_zone.sync", Map.of("job", job.id()));
        return job.id();
    }

    /** Signs the zone (PowerDNS) or stops signing it; the job records the DS records for the registrar. */
    @Transactional
    public String setDnssec(Actor actor, String zoneId, boolean enabled) {
        DnsZone zone = changeable(actor, zoneId);
        if (zone.provider() != DnsProviderKind.POWERDNS) {
            throw new InvalidInput("dnssec", zone.provider().displayName() + " zones are signed in " + zone.provider().displayName()
                    + "'s own console; the panel signs zones on PowerDNS.");
        }
        Job job = jobs.enqueue(new NewJob(zone.tenantId(), DnsJobTypes.DNSSEC, (enabled ? "Sign" : "Stop signing") + " DNS zone "
                + zone.name(), "dns_zone", zone.id(), Map.of("enabled", enabled), actor));
        repository.setLastJob(zone.id(), job.id());
        audit(actor, zone, enabled ? "dns_zone.dnssec_enable" : "dns_zone.dnssec_disable", Map.of("job", job.id()));
        return job.id();
    }

    /** Queues a comparison of the provider's records with the panel's. */
    @Transactional
    public String checkDrift(Actor actor, String zoneId) {
        DnsZone zone = manageable(actor, zoneId);
        if (zone.status() == ZoneStatus.PENDING || zone.status() == ZoneStatus.DELETING) {
            throw new InvalidInput("status", "The zone is " + zone.status().key() + "; there is nothing at the provider to compare yet.");
        }
        Job job = enqueue(actor, zone, DnsJobTypes.DRIFT, "Compare DNS zone " + zone.name() + " with "
                + zone.provider().displayName());
        return job.id();
    }

    /**
     * Settles one drifted record set: {@code keep = panel} pends the panel's set so the next sync writes it to the
     * provider; {@code keep = provider} takes the provider's set (as found by the last check) into the panel.
     */
    @Transactional
    public RecordsChanged resolveDrift(Actor actor, String zoneId, @Nullable String name, @Nullable String type,
                                       @Nullable String keep) {
        DnsZone zone = changeable(actor, zoneId);
        DriftItem item = (zone.drift() == null ? List.<DriftItem>of() : zone.drift()).stream()
                .filter(drift -> drift.name().equals(name) && drift.type().name().equals(type)).findFirst()
                .orElseThrow(() -> new InvalidInput("name", "The last check found no difference for " + name + " " + type + "."));
        Instant now = clock.instant();
        if ("provider".equals(keep)) {
            repository.deleteSet(zone.id(), item.name(), item.type());
            for (String content : item.providerContents()) {
                repository.insertRecord(Ids.newId("rec"), zone.tenantId(), zone.id(), item.name(), item.type(),
                        Objects.requireNonNullElse(item.providerTtl(), 3600), content, null, now);
            }
        } else if (!"panel".equals(keep)) {
            throw new InvalidInput("keep", "Say which side to keep: panel or provider.");
        } else {
            repository.markPending(zone.tenantId(), zone.id(), item.name(), item.type(), now);
        }
        List<DriftItem> remaining = zone.drift().stream().filter(drift -> drift != item).toList();
        repository.setDrift(zone.id(), remaining, Objects.requireNonNullElse(zone.driftCheckedAt(), now));
        String jobId = null;
        if ("panel".equals(keep)) {
            jobId = sync(actor, zone).id();
        }
        audit(actor, zone, "dns_zone.drift_resolve", Map.of("set", item.name() + " " + item.type(), "keep", keep));
        return new RecordsChanged(List.of(), jobId, List.of());
    }

    /** The managed zone that holds {@code host} in the tenant's scope, the deepest one. */
    @Transactional(readOnly = true)
    public java.util.Optional<DnsZone> zoneFor(String tenantPath, String host) {
        return repository.enclosing(tenantPath, host).stream().findFirst();
    }

    private Job sync(Actor actor, DnsZone zone) {
        return enqueue(actor, zone, DnsJobTypes.SYNC_ZONE, "Apply DNS changes to " + zone.name());
    }

    private Job enqueue(Actor actor, DnsZone zone, String type, String title) {
        Job job = jobs.enqueue(new NewJob(zone.tenantId(), type, title, "dns_zone", zone.id(), Map.of(), actor));
        repository.setLastJob(zone.id(), job.id());
        return job;
    }

    private ZoneRecord normalise(DnsZone zone, RecordEdit edit) {
        Validation validation = new Validation();
        ZoneRecord record = RecordInput.record(validation, zone.name(), edit.name(), edit.type(), edit.ttl(), edit.content());
        validation.throwIfInvalid();
        return Objects.requireNonNull(record);
    }

    /** A zone file's records, or a 422 naming every line that is wrong. */
    private static ZoneImport parse(String zone, String text) {
        ZoneImport file = ZoneFileParser.parse(zone, text);
        if (file.hasErrors()) {
            throw new InvalidInput("zoneFile", String.join("\n", file.errors().stream().map(Object::toString).toList()));
        }
        return file;
    }

    private static List<String> notes(ZoneImport file) {
        return file.notes().stream().map(Object::toString).toList();
    }

    private static List<RecordSet> withChange(List<RecordSet> sets, @Nullable DnsRecord removed, ZoneRecord added) {
        List<RecordSet> result = new ArrayList<>();
        boolean merged = false;
        for (RecordSet set : sets) {
            List<String> contents = new ArrayList<>(set.contents());
            if (removed != null && set.name().equals(removed.name()) && set.type() == removed.type()) {
                contents.remove(removed.content());
            }
            if (set.name().equals(added.name()) && set.type() == added.type()) {
                Set<String> unique = new LinkedHashSet<>(contents);
                unique.add(added.content());
                contents = new ArrayList<>(unique);
                merged = true;
            }
            if (!contents.isEmpty()) {
                result.add(new RecordSet(set.name(), set.type(), set.ttl(), contents));
            }
        }
        if (!merged) {
            result.add(new RecordSet(added.name(), added.type(), added.ttl(), List.of(added.content())));
        }
        return result;
    }

    private static void requireConsistent(DnsZone zone, List<RecordSet> sets, String field) {
        List<ZoneProblem> problems = ZoneRules.check(zone.name(), sets);
        if (!problems.isEmpty()) {
            throw new InvalidInput(field.isEmpty() ? RecordInput.CONTENT : field,
                    String.join("\n", problems.stream().map(ZoneProblem::message).toList()));
        }
    }

    private DnsRecord written(DnsZone zone, ZoneRecord record) {
        return repository.records(zone.id()).stream()
                .filter(row -> row.name().equals(record.name()) && row.type() == record.type() && row.content().equals(record.content()))
                .findFirst().orElseThrow();
    }

    private DnsRecord record(DnsZone zone, String recordId) {
        if (!Ids.looksLike("rec", recordId)) {
            throw new NotFound("DNS record", recordId.length() > 40 ? recordId.substring(0, 40) + "…" : recordId);
        }
        return repository.record(zone.id(), recordId).orElseThrow(() -> new NotFound("DNS record", recordId));
    }

    private String zoneName(Validation validation, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        String name = validation.hostName("name", text.endsWith(".") ? text.substring(0, text.length() - 1) : text);
        if (!validation.hasErrors() && repository.nameTaken(name)) {
            validation.reject("name", taken(name));
        }
        return name;
    }

    private static String taken(String name) {
        return name + " is already managed in the panel, by you or another customer. If the domain is yours, ask support to "
                + "move it to your account.";
    }

    DnsZone visible(Actor actor, String zoneId) {
        if (!Ids.looksLike("zone", zoneId)) {
            throw new NotFound("DNS zone", zoneId.length() > 40 ? zoneId.substring(0, 40) + "…" : zoneId);
        }
        return repository.find(actor.actingTenantPath(), zoneId).orElseThrow(() -> new NotFound("DNS zone", zoneId));
    }

    private DnsZone manageable(Actor actor, String zoneId) {
        AccessPolicy.require(actor, Permission.DNS_MANAGE);
        return visible(actor, zoneId);
    }

    /** A zone whose records may change now: the provider holds it (or will, once the create job ran). */
    private DnsZone changeable(Actor actor, String zoneId) {
        DnsZone zone = manageable(actor, zoneId);
        if (zone.status() == ZoneStatus.DELETING) {
            throw new InvalidInput("status", "The zone is being deleted.");
        }
        return zone;
    }

    private static Map<String, Object> describe(ZoneRecord record, Job job) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("record", record.name() + " " + record.ttl() + " " + record.type() + " " + record.content());
        details.put("job", job.id());
        return details;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private void audit(Actor actor, DnsZone zone, String action, Map<String, ?> details) {
        events.publishEvent(AuditEvent.success(zone.tenantId(), actor.userId(), actor.email(), action, "dns_zone", zone.id(), details));
    }
}
