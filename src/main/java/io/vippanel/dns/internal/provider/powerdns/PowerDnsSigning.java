package io.vippanel.dns.internal.provider.powerdns;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DsRecord;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.Cryptokey;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.NewCryptokey;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * DNSSEC with keys PowerDNS holds and signs with live: one combined signing key (CSK, ECDSAP256SHA256), so there
 * is a single DS record set to give the registrar and no key-signing/zone-signing split to roll over. PowerDNS
 * marks the zone signed ({@code "dnssec": true}) as soon as it has an active key; the rectify afterwards fills in
 * the ordering data NSEC denial needs for records written before the zone was signed.
 */
final class PowerDnsSigning implements DnsProvider.Dnssec {

    /** SHA-256 and SHA-384; PowerDNS also lists SHA-1 (1), which registrars and validators are dropping. */
    private static final Set<Integer> DIGEST_TYPES = Set.of(2, 4);

    private final PowerDnsHttp http;

    PowerDnsSigning(PowerDnsHttp http) {
        this.http = http;
    }

    /** Adds the key only when the zone has no active one, so enabling twice leaves one key. */
    @Override
    public List<DsRecord> enable(ProviderZone zone) {
        if (activeKeys(zone).isEmpty()) {
            http.post(Cryptokey.class, new NewCryptokey("csk", true, "ECDSAP256SHA256"), "/zones/{zone}/cryptokeys",
                    zone.id());
        }
        http.put("/zones/{zone}/rectify", zone.id());
        return dsRecords(zone);
    }

    @Override
    public void disable(ProviderZone zone) {
        for (Cryptokey key : keys(zone)) {
            http.deleteIfPresent("/zones/{zone}/cryptokeys/{key}", zone.id(), key.id());
        }
    }

    @Override
    public List<DsRecord> dsRecords(ProviderZone zone) {
        return activeKeys(zone).stream()
                .flatMap(key -> Objects.requireNonNullElse(key.ds(), List.<String>of()).stream())
                .map(PowerDnsSigning::dsRecord)
                .filter(ds -> DIGEST_TYPES.contains(ds.digestType()))
                .sorted(Comparator.comparingInt(DsRecord::keyTag).thenComparingInt(DsRecord::digestType))
                .toList();
    }

    private List<Cryptokey> activeKeys(ProviderZone zone) {
        return keys(zone).stream().filter(Cryptokey::active).toList();
    }

    private List<Cryptokey> keys(ProviderZone zone) {
        return Arrays.asList(http.get(Cryptokey[].class, "/zones/{zone}/cryptokeys", zone.id()));
    }

    /** PowerDNS writes DS data as "keytag algorithm digesttype digest", the digest in lower-case hex. */
    private static DsRecord dsRecord(String presentation) {
        String[] fields = presentation.strip().split("\\s+");
        if (fields.length != 4) {
            throw unreadable(presentation, null);
        }
        try {
            return new DsRecord(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                    fields[3].toUpperCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            throw unreadable(presentation, e);
        }
    }

    private static DnsProviderException unreadable(String presentation, @Nullable Throwable cause) {
        return new DnsProviderException(DnsProviderKind.POWERDNS, DnsProviderException.Reason.UNAVAILABLE, 200,
                List.of("a DS record in an answer is not \"keytag algorithm digesttype digest\": " + presentation), cause);
    }
}
