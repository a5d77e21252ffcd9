package io.vippanel.dns.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsAccounts;
import io.vippanel.dns.DnsRecord;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DnsZones;
import io.vippanel.dns.DriftItem;
import io.vippanel.dns.NewDnsAccount;
import io.vippanel.dns.NewZone;
import io.vippanel.dns.RecordEdit;
import io.vippanel.dns.RecordsChanged;
import io.vippanel.dns.ZoneCreated;
import io.vippanel.tenancy.Actor;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/dns}: DNS accounts, zones and records. Changes answer at once with the sync job that gives them to
 * the provider; the job ends when the zone's servers answer them.
 */
@RestController
@RequestMapping("/api/v1/dns")
@Tag(name = "DNS", description = "PowerDNS, Cloudflare and Route 53 zones and their records.")
class DnsApi {

    @Schema(name = "DnsAccount", description = "A DNS provider account; its credentials are stored encrypted and never returned.")
    record AccountJson(String id, String tenantId, @Schema(allowableValues = {"powerdns", "cloudflare", "route53"}) String kind,
                       String name, boolean shared, String credentialHint, List<String> checkServers,
                       @Nullable Instant lastCheckedAt, @Nullable Boolean lastCheckOk, @Nullable String lastCheckNote,
                       Instant createdAt, boolean owned) {
        static AccountJson of(DnsAccount account) {
            return new AccountJson(account.id(), account.tenantId(), account.kind().name().toLowerCase(Locale.ROOT), account.name(),
                    account.shared(), account.credentialHint(), account.checkServers(), account.lastCheckedAt(),
                    account.lastCheckOk(), account.lastCheckNote(), account.createdAt(), account.ownedByViewer());
        }
    }

    @Schema(name = "NewDnsAccount", description = "powerdns: apiUrl, apiKey, serverId, nameservers, checkServers (platform and "
            + "resellers only); cloudflare: apiToken, accountId; route53: accessKeyId, secretAccessKey. Checked live first.")
    record CreateAccount(@Nullable String kind, @Nullable String name, @Nullable Boolean shared, @Nullable String apiUrl,
                         @Nullable String apiKey, @Nullable String serverId, @Nullable List<String> nameservers,
                         @Nullable List<String> checkServers, @Nullable String apiToken, @Nullable String accountId,
                         @Nullable String accessKeyId, @Nullable String secretAccessKey) {
        @Override
        public String toString() {
            return "CreateAccount[" + kind + ", " + name + "]";
        }
    }

    @Schema(name = "DnsZone")
    record ZoneJson(String id, String tenantId, String accountId, String accountName,
                    @Schema(allowableValues = {"powerdns", "cloudflare", "route53"}) String provider, String name,
                    @Schema(allowableValues = {"pending", "active", "syncing", "failed", "deleting"}) String status,
                    @Nullable String statusNote, List<String> nameservers, boolean dnssec, List<String> dsRecords,
                    @Schema(description = "Record sets changed and not yet applied") int pendingSets,
                    @Nullable List<DriftItem> drift, @Nullable Instant driftCheckedAt, @Nullable Instant appliedAt,
                    @Nullable String lastJobId, Instant createdAt) {
        static ZoneJson of(DnsZone zone) {
            return new ZoneJson(zone.id(), zone.tenantId(), zone.accountId(), zone.accountName(),
                    zone.provider().name().toLowerCase(Locale.ROOT), zone.name(), zone.status().key(), zone.statusNote(),
                    zone.nameservers(), zone.dnssec(), zone.dsRecords(), zone.pendingSets(), zone.drift(), zone.driftCheckedAt(),
                    zone.appliedAt(), zone.lastJobId(), zone.createdAt());
        }
    }

    record ZonePage(List<ZoneJson> items, long total, int limit, int offset) {
    }

    @Schema(name = "NewZone", description = "zoneFile: optional BIND zone file whose records the zone starts with.")
    record CreateZone(@Nullable String accountId, @Nullable String name, @Nullable String zoneFile) {
    }

    record ZoneCreatedJson(ZoneJson zone, String jobId, List<String> importNotes) {
    }

    @Schema(name = "DnsRecord", description = "content in presentation format: host names absolute with the trailing dot, TXT quoted.")
    record RecordJson(String id, String zoneId, String name, String type, int ttl, String content, @Nullable String siteId,
                      boolean pending) {
        static RecordJson of(DnsRecord record) {
            return new RecordJson(record.id(), record.zoneId(), record.name(), record.type().name(), record.ttl(),
                    record.content(), record.siteId(), record.pending());
        }
    }

    @Schema(name = "RecordInput", description = "name relative to the zone (@ for the apex) or absolute; ttl 60 to 604800 "
            + "(default 3600); content as the type takes it: '10 mail.example.com' for MX, '0 issue \"letsencrypt.org\"' for CAA.")
    record RecordInput(@Nullable String name, @Nullable String type, @Nullable Integer ttl, @Nullable String content) {
        RecordEdit edit() {
            return new RecordEdit(name, type, ttl == null ? null : ttl.toString(), content);
        }
    }

    record ChangeJson(List<RecordJson> records, @Nullable String jobId, List<String> notes) {
        static ChangeJson of(RecordsChanged changed) {
            return new ChangeJson(changed.records().stream().map(RecordJson::of).toList(), changed.jobId(), changed.notes());
        }
    }

    record JobJson(String jobId) {
    }

    record ImportRequest(@Nullable String zoneFile) {
    }

    record DnssecRequest(@Nullable Boolean enabled) {
    }

    record DriftResolution(@Nullable String name, @Nullable String type,
                           @Schema(allowableValues = {"panel", "provider"}) @Nullable String keep) {
    }

    private final DnsAccounts accounts;
    private final DnsZones zones;

    DnsApi(DnsAccounts accounts, DnsZones zones) {
        this.accounts = accounts;
        this.zones = zones;
    }

    @GetMapping("/accounts")
    @Operation(summary = "List DNS accounts", description = "The caller's own and those shared by tenants above it.")
    List<AccountJson> accounts(@AuthenticationPrincipal Actor actor) {
        return accounts.list(actor).stream().map(AccountJson::of).toList();
    }

    @PostMapping("/accounts")
    @Operation(summary = "Add a DNS account", description = "Checks the credentials with the provider first: refused ones answer 422.")
    ResponseEntity<AccountJson> createAccount(@AuthenticationPrincipal Actor actor, @RequestBody CreateAccount request) {
        DnsAccount account = accounts.create(actor, new NewDnsAccount(request.kind(), request.name(),
                Boolean.TRUE.equals(request.shared()), request.apiUrl(), request.apiKey(), request.serverId(),
                request.nameservers() == null ? null : String.join("\n", request.nameservers()),
                request.checkServers() == null ? null : String.join("\n", request.checkServers()), request.apiToken(),
                request.accountId(), request.accessKeyId(), request.secretAccessKey()));
        return ResponseEntity.created(URI.create("/api/v1/dns/accounts/" + account.id())).body(AccountJson.of(account));
    }

    @GetMapping("/accounts/{id}")
    @Operation(summary = "Get a DNS account")
    AccountJson account(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return AccountJson.of(accounts.get(actor, id));
    }

    @PostMapping("/accounts/{id}/test")
    @Operation(summary = "Test the stored credentials live")
    AccountJson testAccount(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return AccountJson.of(accounts.testConnection(actor, id));
    }

    @DeleteMapping("/accounts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a DNS account", description = "Refused (422) while zones are hosted through it.")
    void deleteAccount(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        accounts.delete(actor, id);
    }

    @GetMapping("/zones")
    @Operation(summary = "List zones")
    ZonePage zones(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String search,
                   @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        List<ZoneJson> items = zones.list(actor, search, limit, offset).stream().map(ZoneJson::of).toList();
        return new ZonePage(items, zones.count(actor, search), limit, offset);
    }

    @PostMapping("/zones")
    @Operation(summary = "Create a zone", description = "Written pending; the job creates it at the provider (or takes over "
            + "the account's existing zone of that name) and waits until its servers answer. 422 when another customer holds the name.")
    ResponseEntity<ZoneCreatedJson> createZone(@AuthenticationPrincipal Actor actor, @RequestBody CreateZone request) {
        ZoneCreated created = zones.create(actor, new NewZone(request.accountId(), request.name(), request.zoneFile()));
        return ResponseEntity.created(URI.create("/api/v1/dns/zones/" + created.zone().id()))
                .body(new ZoneCreatedJson(ZoneJson.of(created.zone()), created.jobId(), created.importNotes()));
    }

    @GetMapping("/zones/{id}")
    @Operation(summary = "Get a zone", description = "With its name servers, DS records and the last drift check.")
    ZoneJson zone(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return ZoneJson.of(zones.get(actor, id));
    }

    @DeleteMapping("/zones/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Delete a zone", description = "confirm must be the zone's name.")
    JobJson deleteZone(@AuthenticationPrincipal Actor actor, @PathVariable String id,
                       @RequestParam(required = false) @Nullable String confirm) {
        return new JobJson(zones.delete(actor, id, confirm));
    }

    @GetMapping("/zones/{id}/records")
    @Operation(summary = "List a zone's records")
    List<RecordJson> records(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return zones.records(actor, id).stream().map(RecordJson::of).toList();
    }

    @PostMapping("/zones/{id}/records")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a record", description = "Validated per type (422 with the field); applied by the returned job.")
    ChangeJson addRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody RecordInput request) {
        return ChangeJson.of(zones.addRecord(actor, id, request.edit()));
    }

    @PutMapping("/zones/{id}/records/{recordId}")
    @Operation(summary = "Change a record")
    ChangeJson updateRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String recordId,
                            @RequestBody RecordInput request) {
        return ChangeJson.of(zones.updateRecord(actor, id, recordId, request.edit()));
    }

    @DeleteMapping("/zones/{id}/records/{recordId}")
    @Operation(summary = "Delete a record")
    ChangeJson deleteRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String recordId) {
        return ChangeJson.of(zones.deleteRecord(actor, id, recordId));
    }

    @PostMapping("/zones/{id}/import")
    @Operation(summary = "Import a BIND zone file", description = "Every record set in the file replaces the zone's set of the "
            + "same name and type; SOA and apex NS stay the provider's. Line-numbered 422 on a syntax error.")
    ChangeJson importZone(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody ImportRequest request) {
        return ChangeJson.of(zones.importZoneFile(actor, id, request.zoneFile()));
    }

    @GetMapping("/zones/{id}/export")
    @Operation(summary = "Export the zone as a BIND zone file")
    ResponseEntity<String> export(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        DnsZone zone = zones.get(actor, id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/dns; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + zone.name() + ".zone\"")
                .body(zones.exportZoneFile(actor, id));
    }

    @PostMapping("/zones/{id}/sync")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Apply what is pending again", description = "After a failure, or after keeping the panel's side of a drift.")
    JobJson sync(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return new JobJson(zones.syncNow(actor, id));
    }

    @PostMapping("/zones/{id}/dnssec")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Sign the zone or stop signing it", description = "PowerDNS zones; the job records the DS records.")
    JobJson dnssec(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody DnssecRequest request) {
        return new JobJson(zones.setDnssec(actor, id, Boolean.TRUE.equals(request.enabled())));
    }

    @PostMapping("/zones/{id}/drift")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Compare the provider's records with the panel's now")
    JobJson checkDrift(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        return new JobJson(zones.checkDrift(actor, id));
    }

    @PostMapping("/zones/{id}/drift/resolve")
    @Operation(summary = "Settle one drifted record set", description = "keep=panel writes the panel's set to the provider; "
            + "keep=provider takes the provider's set into the panel.")
    ChangeJson resolveDrift(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestBody DriftResolution request) {
        return ChangeJson.of(zones.resolveDrift(actor, id, request.name(), request.type(), request.keep()));
    }
}
