package io.vippanel.dns.internal.provider.powerdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.RecordSetChange.Delete;
import io.vippanel.dns.internal.provider.RecordSetChange.Replace;
import io.vippanel.platform.VipProperties;
import io.vippanel.support.PowerDnsServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The PowerDNS client against a real PowerDNS 4.7 server; every change is checked in the server's DNS answers. */
class PowerDnsProviderTests {

    /** Two strings in one TXT record: DKIM keys are longer than the 255 bytes one string can hold. */
    private static final String LONG_FIRST = "v=DKIM1; k=rsa; p=" + "A".repeat(237);
    private static final String LONG_SECOND = "B".repeat(45);

    private static PowerDnsServer server;
    private static PowerDnsProvider provider;

    @BeforeAll
    static void startPowerDns() throws Exception {
        PowerDnsServer.assumeUsable();
        server = PowerDnsServer.start("127.0.0.2");
        provider = new PowerDnsProvider(server.credentials(), settings());
    }

    @AfterAll
    static void stopPowerDns() {
        if (server != null) {
            server.close();
        }
    }

    /** Short waits, so the retry tests take well under a second. */
    static VipProperties.Dns settings() {
        return new VipProperties.Dns("https://api.cloudflare.com/client/v4", null, Duration.ofSeconds(5), 2,
                Duration.ofMillis(20), Duration.ofMillis(100), List.of(), Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofHours(1));
    }

    @Test
    void verifyingCredentialsNamesTheVersionAndCountsZones() {
        provider.createZone("verify.test");

        assertThat(provider.verifyCredentials()).matches("PowerDNS 4\\.\\d+\\.\\d+, \\d+ zones?");
    }

    @Test
    void aWrongKeyIsACredentialsFailureThatNeverShowsAKey() {
        var wrongKey = new DnsCredentials.PowerDns(server.apiUrl(), "not-the-key", "localhost", PowerDnsServer.NAMESERVERS);

        assertThatThrownBy(() -> new PowerDnsProvider(wrongKey, settings()).verifyCredentials())
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS);
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.messages()).singleElement().asString().startsWith("Unauthorized");
                    assertThat(e.getMessage()).doesNotContain("not-the-key").doesNotContain(server.apiKey());
                });
    }

    @Test
    void anUnreachableServerIsUnavailableAfterTheAllowedRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var nowhere = new DnsCredentials.PowerDns("http://127.0.0.1:" + closedPort, server.apiKey(), "localhost",
                PowerDnsServer.NAMESERVERS);

        assertThatThrownBy(() -> new PowerDnsProvider(nowhere, settings()).zones())
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                    assertThat(e.messages()).singleElement().asString()
                            .contains("connection refused")
                            .endsWith("after 2 retries")
                            .doesNotContain(server.apiKey());
                });
    }

    @Test
    void aNewZoneIsServedWithItsSoaAndTheAccountsNameServers() throws Exception {
        ProviderZone zone = provider.createZone("Create.test");

        assertThat(zone).isEqualTo(new ProviderZone("create.test.", "create.test", PowerDnsServer.NAMESERVERS));
        assertThat(provider.findZone("create.test")).contains(zone);
        assertThat(provider.zones()).contains(zone);

        Message soa = server.query("create.test", Type.SOA);
        assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soa.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(SOARecord.class,
                record -> assertThat(record.getHost()).hasToString("ns1.panel.test."));
        assertThat(server.query("create.test", Type.NS).getSection(Section.ANSWER))
                .map(record -> ((NSRecord) record).getTarget().toString())
                .containsExactlyInAnyOrder("ns1.panel.test.", "ns2.panel.test.");
        assertThat(server.dig("create.test", "NS", "+short").lines())
                .containsExactlyInAnyOrder("ns1.panel.test.", "ns2.panel.test.");
    }

    @Test
    void creatingAZoneTwiceIsAConflict() {
        provider.createZone("twice.test");

        assertThatThrownBy(() -> provider.createZone("twice.test"))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.messages()).singleElement().asString().startsWith("Conflict");
                });
    }

    @Test
    void dnsIsAlsoServedOnTheExtraAddress() throws Exception {
        provider.createZone("extra.test");
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.2", server.dnsPort()));

        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("extra.test."), Type.SOA, DClass.IN)));

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void everyRecordTypeWrittenInOneBatchIsAnsweredExactly() throws Exception {
        ProviderZone zone = provider.createZone("records.test");
        List<RecordSet> written = List.of(
                new RecordSet("records.test", RecordType.A, 300, List.of("192.0.2.1", "192.0.2.2")),
                new RecordSet("www.records.test", RecordType.AAAA, 300, List.of("2001:db8::1")),
                new RecordSet("alias.records.test", RecordType.CNAME, 600, List.of("www.records.test.")),
                new RecordSet("records.test", RecordType.MX, 3600, List.of("10 mail.records.test.", "20 backup.example.net.")),
                new RecordSet("mail.records.test", RecordType.A, 300, List.of("192.0.2.25")),
                new RecordSet("records.test", RecordType.TXT, 300, List.of("\"v=spf1 mx -all\"")),
                new RecordSet("dkim._domainkey.records.test", RecordType.TXT, 300,
                        List.of("\"" + LONG_FIRST + "\" \"" + LONG_SECOND + "\"")),
                new RecordSet("_sip._tcp.records.test", RecordType.SRV, 300, List.of("10 5 5060 sip.records.test.")),
                new RecordSet("records.test", RecordType.CAA, 300, List.of("0 issue \"letsencrypt.org\"")),
                new RecordSet("sub.records.test", RecordType.NS, 3600, List.of("ns1.example.net.", "ns2.example.net.")),
                new RecordSet("*.wild.records.test", RecordType.A, 300, List.of("192.0.2.99")));

        provider.apply(zone, written.stream().<RecordSetChange>map(Replace::new).toList());

        assertThat(answer("records.test", Type.A)).map(r -> ((ARecord) r).getAddress().getHostAddress())
                .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
        assertThat(answer("www.records.test", Type.AAAA)).singleElement()
                .satisfies(r -> assertThat(((AAAARecord) r).getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1"));
        assertThat(answer("alias.records.test", Type.CNAME)).singleElement()
                .satisfies(r -> assertThat(((CNAMERecord) r).getTarget()).hasToString("www.records.test."));
        assertThat(answer("records.test", Type.MX)).map(r -> ((MXRecord) r).getPriority() + " " + ((MXRecord) r).getTarget())
                .containsExactlyInAnyOrder("10 mail.records.test.", "20 backup.example.net.");
        assertThat(answer("records.test", Type.TXT)).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("v=spf1 mx -all"));
        assertThat(answer("dkim._domainkey.records.test", Type.TXT)).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly(LONG_FIRST, LONG_SECOND));
        assertThat(answer("_sip._tcp.records.test", Type.SRV)).singleElement().isInstanceOfSatisfying(SRVRecord.class,
                srv -> assertThat(List.of(srv.getPriority(), srv.getWeight(), srv.getPort())).containsExactly(10, 5, 5060));
        assertThat(answer("records.test", Type.CAA)).singleElement().isInstanceOfSatisfying(CAARecord.class,
                caa -> assertThat(caa.getTag() + " " + caa.getValue()).isEqualTo("issue letsencrypt.org"));
        assertThat(answer("host.wild.records.test", Type.A)).singleElement().satisfies(r -> {
            assertThat(r.getName()).hasToString("host.wild.records.test.");
            assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.99");
        });

        Message referral = server.query("host.sub.records.test", Type.A);
        assertThat(referral.getHeader().getFlag(Flags.AA)).as("a delegation is answered with a referral").isFalse();
        assertThat(referral.getSection(Section.ANSWER)).isEmpty();
        assertThat(referral.getSection(Section.AUTHORITY)).map(r -> r.getName() + " " + ((NSRecord) r).getTarget())
                .containsExactlyInAnyOrder("sub.records.test. ns1.example.net.", "sub.records.test. ns2.example.net.");

        assertThat(server.dig("dkim._domainkey.records.test", "TXT", "+short").strip())
                .isEqualTo("\"" + LONG_FIRST + "\" \"" + LONG_SECOND + "\"");
        assertThat(server.dig("records.test", "CAA", "+short").strip()).isEqualTo("0 issue \"letsencrypt.org\"");

        RecordSet apexNameservers = new RecordSet("records.test", RecordType.NS, 3600,
                List.of("ns1.panel.test.", "ns2.panel.test."));
        assertThat(sorted(provider.recordSets(zone)))
                .isEqualTo(sorted(Stream.concat(written.stream(), Stream.of(apexNameservers)).toList()));
    }

    @Test
    void aBatchWithAnInvalidChangeIsRefusedWholeWithPowerDnsReason() throws Exception {
        ProviderZone zone = provider.createZone("batch.test");
        provider.apply(zone, List.of(new Replace(new RecordSet("www.batch.test", RecordType.A, 300, List.of("192.0.2.1")))));

        assertThatThrownBy(() -> provider.apply(zone, List.of(
                new Replace(new RecordSet("api.batch.test", RecordType.A, 300, List.of("192.0.2.7"))),
                new Replace(new RecordSet("www.batch.test", RecordType.CNAME, 300, List.of("elsewhere.example.net."))))))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID);
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.messages()).containsExactly(
                            "RRset www.batch.test. IN CNAME: Conflicts with pre-existing RRset");
                });

        assertThat(server.query("api.batch.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(provider.recordSets(zone)).extracting(RecordSet::name).doesNotContain("api.batch.test");
    }

    @Test
    void deletingRecordSetsRemovesThemAndAMissingOneIsNoError() throws Exception {
        ProviderZone zone = provider.createZone("delete.test");
        provider.apply(zone, List.of(
                new Replace(new RecordSet("old.delete.test", RecordType.A, 300, List.of("192.0.2.1"))),
                new Replace(new RecordSet("old.delete.test", RecordType.TXT, 300, List.of("\"keep\"")))));

        provider.apply(zone, List.of(new Delete("old.delete.test", RecordType.A), new Delete("never.delete.test", RecordType.MX)));

        assertThat(answer("old.delete.test", Type.A)).isEmpty();
        assertThat(answer("old.delete.test", Type.TXT)).hasSize(1);
        assertThat(provider.recordSets(zone)).extracting(RecordSet::name, RecordSet::type)
                .doesNotContain(tuple("old.delete.test", RecordType.A))
                .contains(tuple("old.delete.test", RecordType.TXT));
    }

    @Test
    void recordSetsLeaveOutSoaOtherTypesAndDisabledRecords() throws Exception {
        ProviderZone zone = provider.createZone("other.test");
        String rrsets = """
                {"rrsets": [
                  {"name": "other.test.", "type": "HINFO", "ttl": 300, "changetype": "REPLACE",
                   "records": [{"content": "\\"PC\\" \\"Linux\\"", "disabled": false}]},
                  {"name": "half.other.test.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                   "records": [{"content": "192.0.2.1", "disabled": false}, {"content": "192.0.2.2", "disabled": true}]},
                  {"name": "off.other.test.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                   "records": [{"content": "192.0.2.3", "disabled": true}]}]}
                """;
        patchDirectly(zone, rrsets);

        assertThat(provider.recordSets(zone)).containsExactlyInAnyOrder(
                new RecordSet("other.test", RecordType.NS, 3600, List.of("ns1.panel.test.", "ns2.panel.test.")),
                new RecordSet("half.other.test", RecordType.A, 300, List.of("192.0.2.1")));
    }

    @Test
    void aDeletedZoneIsNoLongerServedAndDeletingAgainIsNoError() throws Exception {
        ProviderZone zone = provider.createZone("gone.test");

        provider.deleteZone(zone);
        provider.deleteZone(zone);

        assertThat(server.query("gone.test", Type.SOA).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(provider.findZone("gone.test")).isEmpty();
        assertThatThrownBy(() -> provider.recordSets(zone)).isInstanceOfSatisfying(DnsProviderException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    private static List<Record> answer(String name, int type) throws Exception {
        Message message = server.query(name, type);
        assertThat(message.getHeader().getFlag(Flags.AA)).as("%s is answered authoritatively", name).isTrue();
        return message.getSection(Section.ANSWER).stream().filter(record -> record.getType() == type).toList();
    }

    /** Record sets with their contents in one order, as sets: PowerDNS keeps neither order. */
    private static Set<RecordSet> sorted(List<RecordSet> sets) {
        return sets.stream()
                .map(set -> new RecordSet(set.name(), set.type(), set.ttl(), set.contents().stream().sorted().toList()))
                .collect(Collectors.toSet());
    }

    /** A change the panel never makes itself, sent straight to the API. */
    private static void patchDirectly(ProviderZone zone, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.apiUrl() + "/api/v1/servers/localhost/zones/" + zone.id()))
                    .header("X-API-Key", server.apiKey())
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                    .build();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        }
    }
}
