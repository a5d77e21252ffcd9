package io.vippanel.dns.internal;

import io.vippanel.dns.DnsRecord;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.sites.SiteHostsAdded;
import io.vippanel.sites.SiteHostsRemoved;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A new site's host names get A (and AAAA) records pointing at its server in the tenant's zone that holds them, in the
 * same transaction as the site; a name that already has an address or a CNAME is left as it is. A deleted site's
 * records go when the user asks for it.
 */
@Component
class SiteDnsRecords {

    /** Short enough that moving a site to another server takes effect within minutes. */
    static final int TTL = 300;

    private final DnsZoneRepository zones;
    private final Jobs jobs;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SiteDnsRecords(DnsZoneRepository zones, Jobs jobs, ApplicationEventPublisher events, Clock clock) {
        this.zones = zones;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    @EventListener
    void siteAdded(SiteHostsAdded site) {
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(site.domain());
        hosts.addAll(site.aliases());
        Map<String, DnsZone> touched = new LinkedHashMap<>();
        Map<String, List<String>> written = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (String host : hosts) {
            DnsZone zone = zones.enclosing(site.tenantPath(), host).stream().findFirst().orElse(null);
            if (zone == null || zone.status() == ZoneStatus.DELETING || !zone.tenantId().equals(site.tenantId())) {
                continue;
            }
            List<DnsRecord> existing = zones.records(zone.id()).stream().filter(record -> record.name().equals(host)).toList();
            boolean taken = existing.stream().anyMatch(record -> record.type() == RecordType.A || record.type() == RecordType.AAAA
                    || record.type() == RecordType.CNAME);
            if (taken) {
                written.computeIfAbsent(zone.id(), id -> new ArrayList<>()).add(host + " kept (it already has an address)");
                touched.put(zone.id(), zone);
                continue;
            }
            addRecord(zone, site, host, RecordType.A, site.ipv4(), now, written);
            addRecord(zone, site, host, RecordType.AAAA, site.ipv6(), now, written);
            touched.put(zone.id(), zone);
        }
        touched.values().forEach(zone -> syncAndAudit(zone, site.actor(), "dns_record.site_create",
                Map.of("site", site.siteId(), "records", written.getOrDefault(zone.id(), List.of()))));
    }

    @EventListener
    void siteRemoved(SiteHostsRemoved site) {
        if (!site.removeDnsRecords()) {
            return;
        }
        Map<String, List<DnsRecord>> byZone = new LinkedHashMap<>();
        zones.siteRecords(site.siteId()).forEach(record -> byZone.computeIfAbsent(record.zoneId(), id -> new ArrayList<>()).add(record));
        Instant now = clock.instant();
        byZone.forEach((zoneId, records) -> {
            DnsZone zone = zones.find("/", zoneId).orElse(null);
            if (zone == null || zone.status() == ZoneStatus.DELETING) {
                return;
            }
            for (DnsRecord record : records) {
                zones.deleteRecord(zoneId, record.id());
                zones.markPending(zone.tenantId(), zoneId, record.name(), record.type(), now);
            }
            syncAndAudit(zone, site.actor(), "dns_record.site_delete", Map.of("site", site.siteId(),
                    "records", records.stream().map(record -> record.name() + " " + record.type() + " " + record.content()).toList()));
        });
    }

    private void addRecord(DnsZone zone, SiteHostsAdded site, String host, RecordType type, @org.jspecify.annotations.Nullable String address,
                           Instant now, Map<String, List<String>> written) {
        if (address == null || address.isBlank()) {
            return;
        }
        zones.insertRecord(Ids.newId("rec"), zone.tenantId(), zone.id(), host, type, TTL, address, site.siteId(), now);
        zones.markPending(zone.tenantId(), zone.id(), host, type, now);
        written.computeIfAbsent(zone.id(), id -> new ArrayList<>()).add(host + " " + type + " " + address);
    }

    private void syncAndAudit(DnsZone zone, io.vippanel.platform.AuditActor actor, String action, Map<String, ?> details) {
        Job job = jobs.enqueue(new NewJob(zone.tenantId(), DnsJobTypes.SYNC_ZONE, "Apply DNS changes to " + zone.name(),
                "dns_zone", zone.id(), Map.of(), actor));
        zones.setLastJob(zone.id(), job.id());
        Map<String, Object> withJob = new LinkedHashMap<>(details);
        withJob.put("job", job.id());
        events.publishEvent(AuditEvent.success(zone.tenantId(), actor.userId(), actor.email(), action, "dns_zone", zone.id(), withJob));
    }
}
