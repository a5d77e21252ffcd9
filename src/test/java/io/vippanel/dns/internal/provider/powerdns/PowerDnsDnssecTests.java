package io.vippanel.dns.internal.provider.powerdns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DsRecord;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange.Replace;
import io.vippanel.support.PowerDnsServer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Zone signing on a real PowerDNS 4.7 server, checked the way a validating resolver would. */
class PowerDnsDnssecTests {

    private static PowerDnsServer server;
    private static PowerDnsProvider provider;
    private static DnsProvider.Dnssec dnssec;

    @BeforeAll
    static void startPowerDns() throws Exception {
        PowerDnsServer.assumeUsable();
        server = PowerDnsServer.start();
        provider = new PowerDnsProvider(server.credentials(), PowerDnsProviderTests.settings());
        dnssec = provider.dnssec().orElseThrow();
    }

    @AfterAll
    static void stopPowerDns() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void enablingSignsTheZoneAndGivesTheDsRecordsOfItsKey() throws Exception {
        ProviderZone zone = zoneWithRecords("signed.test");

        List<DsRecord> ds = dnssec.enable(zone);

        DNSKEYRecord key = onlyKey("signed.test");
        assertThat(key.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.ECDSAP256SHA256);
        assertThat(key.getFlags()).as("one combined signing key: zone key and secure entry point").isEqualTo(257);
        assertThat(ds).extracting(DsRecord::digestType).containsExactly(DNSSEC.Digest.SHA256, DNSSEC.Digest.SHA384);
        assertThat(ds).allSatisfy(record -> {
            assertThat(record.keyTag()).isEqualTo(key.getFootprint());
            assertThat(record.algorithm()).isEqualTo(13);
            assertThat(record.digest()).matches("[0-9A-F]+");
        });
        DSRecord expected = new DSRecord(key.getName(), key.getDClass(), key.getTTL(), DNSSEC.Digest.SHA256, key);
        assertThat(ds.getFirst().digest()).isEqualTo(HexFormat.of().withUpperCase().formatHex(expected.getDigest()));
        assertThat(dnssec.dsRecords(zone)).isEqualTo(ds);
        assertThat(server.dig("signed.test", "DNSKEY", "+short")).startsWith("257 3 13 ");
    }

    @Test
    void answersOfASignedZoneCarrySignaturesThatVerifyWithItsKey() throws Exception {
        ProviderZone zone = zoneWithRecords("verified.test");
        dnssec.enable(zone);
        DNSKEYRecord key = onlyKey("verified.test");

        Message answer = server.queryWithDnssec("www.verified.test", Type.A);

        RRset addresses = answer.getSectionRRsets(Section.ANSWER).stream()
                .filter(rrset -> rrset.getType() == Type.A).findFirst().orElseThrow();
        assertThat(addresses.sigs()).singleElement().satisfies(signature -> {
            assertThat(signature.getFootprint()).isEqualTo(key.getFootprint());
            DNSSEC.verify(addresses, signature, key, Instant.now());
        });
        assertThat(server.dig("www.verified.test", "A", "+dnssec", "+short").lines())
                .anyMatch(line -> line.startsWith("A 13 3 300 "));
    }

    @Test
    void enablingTwiceKeepsOneKey() throws Exception {
        ProviderZone zone = zoneWithRecords("twice-signed.test");

        List<DsRecord> first = dnssec.enable(zone);
        List<DsRecord> second = dnssec.enable(zone);

        assertThat(second).isEqualTo(first);
        onlyKey("twice-signed.test");
    }

    @Test
    void disablingRemovesTheKeysAndTheSignatures() throws Exception {
        ProviderZone zone = zoneWithRecords("unsigned.test");
        dnssec.enable(zone);

        dnssec.disable(zone);

        assertThat(dnssec.dsRecords(zone)).isEmpty();
        assertThat(records("unsigned.test", Type.DNSKEY)).isEmpty();
        Message answer = server.queryWithDnssec("www.unsigned.test", Type.A);
        assertThat(answer.getSection(Section.ANSWER)).isNotEmpty().noneMatch(RRSIGRecord.class::isInstance);
    }

    @Test
    void anUnsignedZoneHasNoDsRecords() {
        assertThat(dnssec.dsRecords(provider.createZone("never-signed.test"))).isEmpty();
    }

    private static ProviderZone zoneWithRecords(String name) {
        ProviderZone zone = provider.createZone(name);
        provider.apply(zone, List.of(new Replace(new RecordSet("www." + name, RecordType.A, 300, List.of("192.0.2.1")))));
        return zone;
    }

    private static DNSKEYRecord onlyKey(String zone) throws Exception {
        List<Record> keys = records(zone, Type.DNSKEY);
        assertThat(keys).hasSize(1);
        return (DNSKEYRecord) keys.getFirst();
    }

    private static List<Record> records(String name, int type) throws Exception {
        return server.queryWithDnssec(name, type).getSection(Section.ANSWER).stream()
                .filter(record -> record.getType() == type)
                .toList();
    }
}
