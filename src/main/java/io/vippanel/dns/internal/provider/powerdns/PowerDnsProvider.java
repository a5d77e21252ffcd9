package io.vippanel.dns.internal.provider.powerdns;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Delete;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.NewZone;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Patch;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Record;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Replace;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Rrset;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.RrsetChange;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Server;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Zone;
import io.vippanel.platform.VipProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One PowerDNS Authoritative server's zones through its HTTP API. Zone ids are PowerDNS's canonical names with the
 * trailing dot ({@code example.com.}); new zones are {@code Native} (served from the database, no AXFR between
 * primaries) and delegated to the account's name servers. Record contents pass through unchanged: PowerDNS speaks
 * the same presentation format as {@link RecordSet}.
 */
public final class PowerDnsProvider implements DnsProvider {

    private static final Set<String> MANAGED_TYPES = Arrays.stream(RecordType.values())
            .map(RecordType::name)
            .collect(Collectors.toUnmodifiableSet());

    private final PowerDnsHttp http;
    private final List<String> nameservers;
    private final PowerDnsSigning signing;

    public PowerDnsProvider(DnsCredentials.PowerDns credentials, VipProperties.Dns settings) {
        this.http = new PowerDnsHttp(credentials, settings);
        this.nameservers = credentials.nameservers().stream().map(PowerDnsProvider::absolute).toList();
        this.signing = new PowerDnsSigning(http);
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.POWERDNS;
    }

    @Override
    public String verifyCredentials() {
        Server server = http.get(Server.class, "");
        int zones = http.get(Zone[].class, "/zones").length;
        return "PowerDNS " + Objects.requireNonNullElse(server.version(), "(version not given)") + ", " + zones
                + (zones == 1 ? " zone" : " zones");
    }

    /** Every zone with its apex NS records: one request for the list, then one per zone for just that RRset. */
    @Override
    public List<ProviderZone> zones() {
        return Arrays.stream(http.get(Zone[].class, "/zones")).map(this::withNameservers).toList();
    }

    @Override
    public Optional<ProviderZone> findZone(String name) {
        return Arrays.stream(http.get(Zone[].class, "/zones?zone={name}", absolute(name)))
                .findFirst()
                .map(this::withNameservers);
    }

    @Override
    public ProviderZone createZone(String name) {
        Zone created = http.post(Zone.class, new NewZone(absolute(name), "Native", nameservers, "DEFAULT"), "/zones");
        return providerZone(created);
    }

    @Override
    public void deleteZone(ProviderZone zone) {
        http.deleteIfPresent("/zones/{zone}", zone.id());
    }

    @Override
    public List<RecordSet> recordSets(ProviderZone zone) {
        Zone detail = http.get(Zone.class, "/zones/{zone}", zone.id());
        return Objects.requireNonNullElse(detail.rrsets(), List.<Rrset>of()).stream()
                .filter(rrset -> MANAGED_TYPES.contains(rrset.type()))
                .map(PowerDnsProvider::recordSet)
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public void apply(ProviderZone zone, List<RecordSetChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<RrsetChange> rrsets = changes.stream().map(PowerDnsProvider::rrsetChange).toList();
        http.patch(new Patch(rrsets), "/zones/{zone}", zone.id());
    }

    @Override
    public Optional<Dnssec> dnssec() {
        return Optional.of(signing);
    }

    /**
     * Reads the apex NS RRset only ({@code rrset_name}/{@code rrset_type}, PowerDNS 4.7 and later; older servers
     * ignore the filter and send every RRset, which the filter here copes with).
     */
    private ProviderZone withNameservers(Zone zone) {
        return providerZone(http.get(Zone.class, "/zones/{zone}?rrset_name={name}&rrset_type=NS", zone.id(), zone.name()));
    }

    private static ProviderZone providerZone(Zone zone) {
        List<String> apexNameservers = Objects.requireNonNullElse(zone.rrsets(), List.<Rrset>of()).stream()
                .filter(rrset -> rrset.type().equals("NS") && rrset.name().equalsIgnoreCase(zone.name()))
                .flatMap(rrset -> rrset.records().stream())
                .filter(record -> !record.disabled())
                .map(record -> relative(record.content()))
                .toList();
        return new ProviderZone(zone.id(), relative(zone.name()), apexNameservers);
    }

    /** The RRset as the panel sees it; empty when every record of it is disabled (PowerDNS does not serve those). */
    private static Optional<RecordSet> recordSet(Rrset rrset) {
        List<String> contents = rrset.records().stream().filter(record -> !record.disabled()).map(Record::content).toList();
        if (contents.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RecordSet(relative(rrset.name()), RecordType.valueOf(rrset.type()), rrset.ttl(), contents));
    }

    private static RrsetChange rrsetChange(RecordSetChange change) {
        return switch (change) {
            case RecordSetChange.Replace replace -> new Replace(absolute(replace.name()), replace.type().name(),
                    replace.set().ttl(), replace.set().contents().stream().map(content -> new Record(content, false)).toList());
            case RecordSetChange.Delete delete -> new Delete(absolute(delete.name()), delete.type().name());
        };
    }

    /** PowerDNS's form of a name: lower case, with the trailing dot. */
    private static String absolute(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** The panel's form of a name: lower case, without the trailing dot. */
    private static String relative(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
