package io.vippanel.dns.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.route53.Route53DnsFactory;
import io.vippanel.platform.VipProperties;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Route 53 provider against a local stub of Route 53's REST/XML API: every operation and how failures come out. */
class Route53DnsTests {

    static final String ACCESS_KEY = "AKIAROUTE53TEST0001";
    static final String SECRET = "r53/Secret+Access+Key000000000000000000";
    static final int MAX_RETRIES = 3;

    final List<Route53DnsFactory> factories = new ArrayList<>();
    Route53Stub stub;
    DnsProvider route53;

    @BeforeEach
    void start() throws Exception {
        stub = new Route53Stub();
        route53 = connect(stub.endpoint(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        factories.forEach(Route53DnsFactory::close);
        stub.close();
    }

    DnsProvider connect(String endpoint, Duration syncTimeout) {
        Route53DnsFactory factory = new Route53DnsFactory(new VipProperties.Dns("http://unused", endpoint,
                Duration.ofSeconds(5), MAX_RETRIES, Duration.ofMillis(5), Duration.ofMillis(20), List.of(), syncTimeout,
                Duration.ofMillis(5), Duration.ofHours(1)));
        factories.add(factory);
        return factory.connect(new DnsCredentials.Route53(ACCESS_KEY, SECRET));
    }

    @Test
    void verifiesCredentialsWithASignedCountOfHostedZones() {
        stub.zone("example.com", false);
        stub.zone("internal.example", true);

        assertThat(route53.kind()).isEqualTo(DnsProviderKind.ROUTE53);
        assertThat(route53.verifyCredentials()).isEqualTo("2 hosted zones");
        Route53Stub.Call call = stub.calls("GetHostedZoneCount").getFirst();
        assertThat(call.accessKey()).isEqualTo(ACCESS_KEY);
        assertThat(call.service()).isEqualTo("route53");
        assertThat(call.signingRegion()).isEqualTo("us-east-1");
    }

    @Test
    void refusedSignatureIsACredentialsFailureWithoutTheSecret() {
        stub.refuseSignature();

        DnsProviderException refused = catchThrowableOfType(DnsProviderException.class, route53::verifyCredentials);

        assertThat(refused.reason()).isEqualTo(Reason.CREDENTIALS);
        assertThat(refused.httpStatus()).isEqualTo(403);
        assertThat(refused.messages()).singleElement().asString()
                .startsWith("SignatureDoesNotMatch: The request signature we calculated does not match");
        assertThat(refused.getMessage()).doesNotContain(SECRET);
        assertThat(stub.calls("GetHostedZoneCount")).hasSize(1);
    }

    @Test
    void createsAZoneWithItsNameServers() {
        ProviderZone zone = route53.createZone("example.com");

        assertThat(zone.id()).doesNotContain("/").startsWith("Z");
        assertThat(zone.name()).isEqualTo("example.com");
        assertThat(zone.nameservers()).hasSize(4).allSatisfy(ns -> assertThat(ns).contains(".awsdns-").doesNotEndWith("."));
        String request = stub.calls("CreateHostedZone").getFirst().body();
        assertThat(request).contains("xmlns=\"" + Route53Stub.NS + "\"", "<Name>example.com.</Name>",
                "<CallerReference>vip-panel-");
        assertThat(route53.recordSets(zone)).containsExactly(
                new RecordSet("example.com", RecordType.NS, 172800, zone.nameservers().stream().map(ns -> ns + ".").toList()));
        assertThat(route53.findZone("example.com")).contains(zone);
        assertThat(route53.findZone("example.org")).isEmpty();
    }

    @Test
    void aZoneTheAccountHoldsIsAConflict() {
        route53.createZone("example.com");

        DnsProviderException conflict = catchThrowableOfType(DnsProviderException.class,
                () -> route53.createZone("example.com"));

        assertThat(conflict.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(stub.zones).hasSize(1);
        assertThat(stub.calls("CreateHostedZone")).hasSize(1);
    }

    @Test
    void hostedZoneAlreadyExistsFromRoute53IsAConflict() {
        stub.failNext("CreateHostedZone", 1, 409, "HostedZoneAlreadyExists",
                "A hosted zone has already been created with the specified caller reference.");

        DnsProviderException conflict = catchThrowableOfType(DnsProviderException.class,
                () -> route53.createZone("example.com"));

        assertThat(conflict.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(conflict.httpStatus()).isEqualTo(409);
        assertThat(conflict.messages()).containsExactly("HostedZoneAlreadyExists: A hosted zone has already been "
                + "created with the specified caller reference.");
    }

    @Test
    void aCreateWhoseAnswerWasLostIsRetriedWithTheSameCallerReferenceAndMakesOneZone() {
        stub.loseNextAnswer("CreateHostedZone");

        ProviderZone zone = route53.createZone("example.com");

        assertThat(stub.zones).containsOnlyKeys(zone.id());
        List<Route53Stub.Call> attempts = stub.calls("CreateHostedZone");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
        assertThat(zone.nameservers()).hasSize(4);
    }

    @Test
    void everyRecordTypeRoundTripsInOneChangeBatch() {
        ProviderZone zone = route53.createZone("example.com");
        List<RecordSet> sets = List.of(
                new RecordSet("example.com", RecordType.A, 300, List.of("192.0.2.1", "192.0.2.2")),
                new RecordSet("example.com", RecordType.AAAA, 300, List.of("2001:db8::1")),
                new RecordSet("www.example.com", RecordType.CNAME, 3600, List.of("example.com.")),
                new RecordSet("example.com", RecordType.MX, 3600, List.of("10 mail.example.com.", "20 mx2.example.net.")),
                new RecordSet("example.com", RecordType.TXT, 300,
                        List.of("\"v=spf1 include:_spf.example.net -all\"", "\"part one\" \"part two\"")),
                new RecordSet("_sip._tcp.example.com", RecordType.SRV, 600, List.of("10 5 5060 sip.example.com.")),
                new RecordSet("example.com", RecordType.CAA, 3600,
                        List.of("0 issue \"letsencrypt.org\"", "0 iodef \"mailto:security@example.com\"")),
                new RecordSet("sub.example.com", RecordType.NS, 86400, List.of("ns1.example.net.", "ns2.example.net.")),
                new RecordSet("*.example.com", RecordType.A, 60, List.of("192.0.2.9")));

        route53.apply(zone, sets.stream().<RecordSetChange>map(RecordSetChange.Replace::new).toList());

        assertThat(stub.calls("ChangeResourceRecordSets")).hasSize(1);
        assertThat(stub.calls("ChangeResourceRecordSets").getFirst().body())
                .contains("<Action>UPSERT</Action>", "<Name>*.example.com.</Name>");
        assertThat(stub.calls("GetChange")).hasSize(Route53Stub.POLLS_TO_SYNC);
        assertThat(route53.recordSets(zone)).filteredOn(set -> set.type() != RecordType.NS || !set.name().equals("example.com"))
                .containsExactlyInAnyOrderElementsOf(sets);
        assertThat(stub.calls("ListResourceRecordSets")).hasSizeGreaterThan(1);
    }

    @Test
    void deletesSendTheSetAsItStandsAndSkipSetsThatAreNotThere() {
        ProviderZone zone = route53.createZone("example.com");
        route53.apply(zone, List.of(new RecordSetChange.Replace(
                        new RecordSet("*.example.com", RecordType.A, 60, List.of("192.0.2.9", "192.0.2.10"))),
                new RecordSetChange.Replace(new RecordSet("www.example.com", RecordType.A, 60, List.of("192.0.2.1")))));

        route53.apply(zone, List.of(new RecordSetChange.Delete("*.example.com", RecordType.A),
                new RecordSetChange.Delete("gone.example.com", RecordType.TXT),
                new RecordSetChange.Replace(new RecordSet("www.example.com", RecordType.A, 120, List.of("192.0.2.3")))));

        String batch = stub.calls("ChangeResourceRecordSets").getLast().body();
        assertThat(batch).contains("<Action>DELETE</Action>", "<Name>\\052.example.com.</Name>", "<TTL>60</TTL>",
                "<Value>192.0.2.10</Value>", "<Action>UPSERT</Action>").doesNotContain("gone.example.com");
        assertThat(route53.recordSets(zone)).contains(new RecordSet("www.example.com", RecordType.A, 120, List.of("192.0.2.3")))
                .noneMatch(set -> set.name().startsWith("*"));

        int batches = stub.calls("ChangeResourceRecordSets").size();
        route53.apply(zone, List.of(new RecordSetChange.Delete("gone.example.com", RecordType.TXT)));
        assertThat(stub.calls("ChangeResourceRecordSets")).hasSize(batches);
    }

    @ParameterizedTest(name = "InvalidChangeBatch answered as a plain error: {0}")
    @ValueSource(booleans = {false, true})
    void aRefusedBatchAppliesNothingAndSaysWhatRoute53Said(boolean plainError) {
        stub.plainInvalidChangeBatch = plainError;
        ProviderZone zone = route53.createZone("example.com");
        route53.apply(zone, List.of(new RecordSetChange.Replace(
                new RecordSet("old.example.com", RecordType.TXT, 300, List.of("\"before\"")))));
        Route53Stub.StubZone stored = stub.zones.get(zone.id());
        stub.beforeNextChange(() -> stored.put(Route53Stub.StubSet.plain("old.example.com.", "TXT", 300, "\"changed by someone else\"")));

        DnsProviderException refused = catchThrowableOfType(DnsProviderException.class, () -> route53.apply(zone, List.of(
                new RecordSetChange.Replace(new RecordSet("www.example.com", RecordType.A, 300, List.of("192.0.2.1"))),
                new RecordSetChange.Replace(new RecordSet("www.other.org", RecordType.A, 300, List.of("192.0.2.1"))),
                new RecordSetChange.Delete("old.example.com", RecordType.TXT))));

        assertThat(refused.reason()).isEqualTo(Reason.INVALID);
        assertThat(refused.httpStatus()).isEqualTo(400);
        assertThat(String.join("\n", refused.messages())).contains(
                "InvalidChangeBatch: ", "RRSet with DNS name www.other.org. is not permitted in zone example.com.",
                "Tried to delete resource record set [name='old.example.com.', type='TXT'] but the values provided do not "
                        + "match the current values");
        assertThat(route53.recordSets(zone)).extracting(RecordSet::name).doesNotContain("www.example.com")
                .contains("old.example.com");
    }

    @Test
    void listsEveryPublicZoneAcrossPagesInRoute53sOrderAndFindsThePublicOneOfAName() {
        stub.zone("b.example", false);
        stub.zone("a.example", false);
        stub.zone("example.com", true);
        Route53Stub.StubZone publicExample = stub.zone("example.com", false);
        stub.zone("c.example", false);

        assertThat(route53.zones()).extracting(ProviderZone::name)
                .containsExactly("example.com", "a.example", "b.example", "c.example");
        assertThat(stub.calls("ListHostedZonesByName")).hasSizeGreaterThanOrEqualTo(3);
        Route53Stub.Call secondPage = stub.calls("ListHostedZonesByName").get(1);
        assertThat(secondPage.query()).containsKeys("dnsname", "hostedzoneid");

        ProviderZone found = route53.findZone("example.com").orElseThrow();
        assertThat(found.id()).isEqualTo(publicExample.id);
        assertThat(found.nameservers()).hasSize(4);
    }

    @Test
    void readsRecordSetsPageByPageAndLeavesOutWhatThePanelDoesNotManage() {
        Route53Stub.StubZone zone = stub.zone("example.com", false);
        for (int i = 0; i < 7; i++) {
            zone.put(Route53Stub.StubSet.plain("host" + i + ".example.com.", "A", 300, "192.0.2." + i));
        }
        zone.put(Route53Stub.StubSet.plain("legacy.example.com.", "SPF", 300, "\"v=spf1 -all\""));
        zone.put(new Route53Stub.StubSet("alias.example.com.", "A", null, null, null, List.of(),
                "Z2FDTNDATAQYW2 d111111abcdef8.cloudfront.net."));
        zone.put(new Route53Stub.StubSet("weighted.example.com.", "A", "blue", 10L, 60L, List.of("192.0.2.50"), null));
        ProviderZone providerZone = route53.findZone("example.com").orElseThrow();

        List<RecordSet> sets = route53.recordSets(providerZone);

        assertThat(sets).extracting(RecordSet::name).containsExactly("example.com", "host0.example.com",
                "host1.example.com", "host2.example.com", "host3.example.com", "host4.example.com", "host5.example.com",
                "host6.example.com");
        List<Route53Stub.Call> pages = stub.calls("ListResourceRecordSets");
        assertThat(pages).hasSize(4);
        assertThat(pages.get(1).query()).containsKeys("name", "type");
    }

    @Test
    void throttlingIsWaitedOut() {
        ProviderZone zone = route53.createZone("example.com");
        stub.throttle("ChangeResourceRecordSets", 2);
        stub.failNext("GetChange", 1, 400, "PriorRequestNotComplete", "The request was rejected because Route 53 "
                + "was still processing a prior request.");

        route53.apply(zone, List.of(new RecordSetChange.Replace(
                new RecordSet("www.example.com", RecordType.A, 300, List.of("192.0.2.1")))));

        assertThat(stub.calls("ChangeResourceRecordSets")).hasSize(3);
        assertThat(route53.recordSets(zone)).extracting(RecordSet::name).contains("www.example.com");
    }

    @Test
    void throttlingThatDoesNotEndIsRateLimited() {
        ProviderZone zone = route53.createZone("example.com");
        stub.throttleForever("ListResourceRecordSets");

        DnsProviderException limited = catchThrowableOfType(DnsProviderException.class, () -> route53.recordSets(zone));

        assertThat(limited.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(limited.messages()).containsExactly("Throttling: Rate exceeded");
        assertThat(stub.calls("ListResourceRecordSets")).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void serverErrorsAreRetriedAndThenUnavailable() {
        stub.failNext("GetHostedZoneCount", 2, 503, "ServiceUnavailable", "Service is unavailable");
        assertThat(route53.verifyCredentials()).isEqualTo("0 hosted zones");

        stub.failAlways("GetHostedZoneCount", 500, "InternalFailure", "An internal error occurred");
        DnsProviderException unavailable = catchThrowableOfType(DnsProviderException.class, route53::verifyCredentials);
        assertThat(unavailable.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(unavailable.httpStatus()).isEqualTo(500);
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DnsProvider unreachable = connect("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5));

        DnsProviderException failure = catchThrowableOfType(DnsProviderException.class, unreachable::verifyCredentials);

        assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure.httpStatus()).isZero();
        assertThat(failure.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void aChangeThatDoesNotGetInSyncInTimeIsUnavailable() {
        DnsProvider impatient = connect(stub.endpoint(), Duration.ofMillis(100));
        ProviderZone zone = impatient.createZone("example.com");
        stub.neverInSync = true;

        DnsProviderException late = catchThrowableOfType(DnsProviderException.class, () -> impatient.apply(zone,
                List.of(new RecordSetChange.Replace(new RecordSet("www.example.com", RecordType.A, 300, List.of("192.0.2.1"))))));

        assertThat(late.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(late.messages()).singleElement().asString().contains("accepted change", "PT0.1S");
    }

    @Test
    void deletesAZoneWithRecordsAndAMissingZoneIsNoError() {
        ProviderZone zone = route53.createZone("example.com");
        route53.apply(zone, List.of(
                new RecordSetChange.Replace(new RecordSet("www.example.com", RecordType.A, 300, List.of("192.0.2.1"))),
                new RecordSetChange.Replace(new RecordSet("example.com", RecordType.MX, 300, List.of("10 mail.example.com."))),
                new RecordSetChange.Replace(new RecordSet("*.example.com", RecordType.TXT, 300, List.of("\"wild\"")))));
        int batches = stub.calls("ChangeResourceRecordSets").size();

        route53.deleteZone(zone);

        assertThat(stub.zones).isEmpty();
        assertThat(stub.calls("ChangeResourceRecordSets")).hasSize(batches + 1);
        assertThat(stub.calls("ChangeResourceRecordSets").getLast().body()).doesNotContain("<Type>SOA</Type>",
                "<Type>NS</Type>");
        route53.deleteZone(zone);
        DnsProviderException missing = catchThrowableOfType(DnsProviderException.class, () -> route53.recordSets(zone));
        assertThat(missing.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(missing.messages()).containsExactly("NoSuchHostedZone: No hosted zone found with ID: " + zone.id());
    }
}
