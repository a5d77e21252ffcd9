package io.vippanel.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
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
import io.vippanel.dns.internal.provider.cloudflare.CloudflareDns;
import io.vippanel.dns.provider.CloudflareStub.StubRecord;
import io.vippanel.dns.provider.CloudflareStub.StubZone;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.provider.StubServer.Reply;
import io.vippanel.servers.provider.StubServer.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CloudflareDnsTests {

    private static final int MAX_RETRIES = 3;
    private static final String WRONG_TOKEN = "wrong-token-0815";
    private static final String BATCH = "/zones/[0-9a-f]+/dns_records/batch";

    private CloudflareStub stub;
    private CloudflareDns dns;

    @BeforeEach
    void start() {
        stub = new CloudflareStub();
        dns = connect(Duration.ofMillis(1500), CloudflareStub.TOKEN, null);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    /** Milliseconds where production waits seconds; a Retry-After up to {@code maxRetryWait} is honoured. */
    private CloudflareDns connect(Duration maxRetryWait, String token, @Nullable String accountId) {
        VipProperties.Dns settings = new VipProperties.Dns(stub.baseUrl(), null, Duration.ofSeconds(5), MAX_RETRIES,
                Duration.ofMillis(5), maxRetryWait, List.of(), Duration.ofMinutes(10), Duration.ofSeconds(3),
                Duration.ofHours(1));
        return new CloudflareDns(CloudflareDns.restClient(settings), settings,
                new DnsCredentials.Cloudflare(token, accountId));
    }

    /** Runs {@code call}, expects a Cloudflare failure for {@code reason}, and checks that no token leaked into it. */
    private static DnsProviderException failure(Reason reason, ThrowingCallable call) {
        DnsProviderException e = catchThrowableOfType(DnsProviderException.class, call);
        assertThat(e).as("expected a DnsProviderException").isNotNull();
        assertThat(e.reason()).as(e.userMessage()).isEqualTo(reason);
        assertThat(e.getMessage() + e.userMessage() + e.getCause())
                .doesNotContain(CloudflareStub.TOKEN).doesNotContain(WRONG_TOKEN);
        return e;
    }

    private ProviderZone zone() {
        return dns.createZone("example.com");
    }

    private static RecordSet set(String name, RecordType type, int ttl, String... contents) {
        return new RecordSet(name, type, ttl, List.of(contents));
    }

    private static JsonNode lastBatch(CloudflareStub stub) {
        return stub.server.last("POST", BATCH).body();
    }

    @Test
    void credentialsAreVerifiedAndZonesCounted() {
        stub.addZone("example.com");
        stub.addZone("example.net");
        stub.addZone("example.org");
        stub.addZone("example.info");
        assertThat(dns.verifyCredentials()).isEqualTo("API token active, 4 zones");
        assertThat(stub.server.last("GET", "/user/tokens/verify").authorization()).isEqualTo("Bearer " + CloudflareStub.TOKEN);
    }

    @Test
    void aRefusedTokenFailsInCloudflaresWords() {
        CloudflareDns refused = connect(Duration.ofMillis(1500), WRONG_TOKEN, null);
        DnsProviderException e = failure(Reason.CREDENTIALS, refused::verifyCredentials);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.messages()).containsExactly("Authentication error (10000)");
        assertThat(e.userMessage()).isEqualTo("Cloudflare refused the credentials: Authentication error (10000)");
    }

    @Test
    void aTokenThatIsNotActiveIsRefused() {
        stub.tokenStatus = "disabled";
        DnsProviderException e = failure(Reason.CREDENTIALS, dns::verifyCredentials);
        assertThat(e.messages()).containsExactly("the API token is disabled");
    }

    @Test
    void aTokenWithoutThePermissionIsACredentialsFailure() {
        stub.server.failNext(CloudflareStub.error(403, 9109, "Unauthorized to access requested resource"));
        DnsProviderException e = failure(Reason.CREDENTIALS, dns::zones);
        assertThat(e.messages()).containsExactly("Unauthorized to access requested resource (9109)");
    }

    @Test
    void aCreatedZoneHasCloudflaresNameServersAndTheTokensOnlyAccount() {
        ProviderZone zone = dns.createZone("Example.COM.");
        assertThat(zone.name()).isEqualTo("example.com");
        assertThat(zone.id()).hasSize(32);
        assertThat(zone.nameservers()).containsExactly("ada.ns.cloudflare.com", "bob.ns.cloudflare.com");
        JsonNode body = stub.server.last("POST", "/zones").body();
        assertThat(body.path("name").asString()).isEqualTo("example.com");
        assertThat(body.path("account").path("id").asString()).isEqualTo(CloudflareStub.ACCOUNT_ID);
        assertThat(body.path("type").asString()).isEqualTo("full");
        assertThat(dns.findZone("example.com")).contains(zone);
        assertThat(stub.server.last("GET", "/zones").query()).containsEntry("name", "example.com");
        assertThat(dns.findZone("example.org")).isEmpty();
    }

    @Test
    void theConfiguredAccountIsUsedWithoutListingAccounts() {
        stub.accounts.add(Map.of("id", "9a7806061c88ada191ed06f989cc3dac", "name", "Reseller"));
        connect(Duration.ofMillis(1500), CloudflareStub.TOKEN, "9a7806061c88ada191ed06f989cc3dac").createZone("example.com");
        assertThat(stub.server.last("POST", "/zones").body().path("account").path("id").asString())
                .isEqualTo("9a7806061c88ada191ed06f989cc3dac");
        assertThat(stub.server.requests("GET", "/accounts")).isEmpty();
    }

    @Test
    void severalAccountsWithoutAnAccountIdAreRefused() {
        stub.accounts.add(Map.of("id", "9a7806061c88ada191ed06f989cc3dac", "name", "Reseller"));
        DnsProviderException e = failure(Reason.INVALID, this::zone);
        assertThat(e.messages()).containsExactly(
                "the API token reaches 2 accounts; set the Cloudflare account id that new zones belong to");
        assertThat(stub.server.requests("POST", "/zones")).isEmpty();
    }

    @Test
    void aZoneTheAccountHoldsIsAConflict() {
        zone();
        DnsProviderException e = failure(Reason.CONFLICT, this::zone);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.messages()).containsExactly("example.com already exists (1061)");
    }

    @Test
    void zonesAreReadPageByPage() {
        for (int i = 1; i <= 7; i++) {
            stub.addZone("shop" + i + ".example");
        }
        assertThat(dns.zones()).extracting(ProviderZone::name).hasSize(7).startsWith("shop1.example").endsWith("shop7.example");
        assertThat(stub.server.requests("GET", "/zones")).extracting(r -> r.query().get("page"))
                .containsExactly("1", "2", "3");
    }

    @Test
    void aDeletedZoneIsGoneAndDeletingItAgainIsNoError() {
        ProviderZone zone = zone();
        dns.deleteZone(zone);
        assertThat(stub.zones).isEmpty();
        dns.deleteZone(zone);
        assertThat(stub.server.requests("DELETE", "/zones/" + zone.id())).hasSize(2);
        DnsProviderException e = failure(Reason.NOT_FOUND, () -> dns.recordSets(zone));
        assertThat(e.messages()).first().asString().endsWith("perhaps your object identifier is invalid? (7003)");
    }

    @Test
    void recordsAreReadPageByPage() {
        StubZone zone = stub.addZone("example.com");
        stub.maxPerPage = 2;
        for (int i = 1; i <= 7; i++) {
            stub.addRecord(zone, "www.example.com", "A", "192.0.2." + i, 3600, false);
        }
        List<RecordSet> sets = dns.recordSets(dns.findZone("example.com").orElseThrow());
        assertThat(sets).containsExactly(set("www.example.com", RecordType.A, 3600, "192.0.2.1", "192.0.2.2",
                "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.7"));
        assertThat(stub.server.requests("GET", "/zones/[0-9a-f]+/dns_records")).extracting(r -> r.query().get("page"))
                .containsExactly("1", "2", "3", "4");
    }

    @Test
    void everyRecordTypeRoundTripsInOneBatch() {
        ProviderZone zone = zone();
        String dkim = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".repeat(8);
        String splitDkim = "\"" + dkim.substring(0, 255) + "\" \"" + dkim.substring(255) + "\"";
        List<RecordSet> sets = List.of(
                set("example.com", RecordType.A, 300, "192.0.2.1", "192.0.2.2"),
                set("example.com", RecordType.AAAA, 300, "2001:db8::1"),
                set("www.example.com", RecordType.CNAME, 3600, "example.com."),
                set("example.com", RecordType.MX, 3600, "10 mail.example.com.", "20 backup-mx.example.net."),
                set("example.com", RecordType.TXT, 300, "\"v=spf1 mx -all\""),
                set("mail._domainkey.example.com", RecordType.TXT, 300, splitDkim),
                set("_sip._tcp.example.com", RecordType.SRV, 3600, "10 5 5060 sip.example.com."),
                set("example.com", RecordType.CAA, 3600, "0 issue \"letsencrypt.org\"", "128 iodef \"mailto:ops@example.com\""),
                set("dev.example.com", RecordType.NS, 86400, "ns1.example.net.", "ns2.example.net."));

        dns.apply(zone, sets.stream().<RecordSetChange>map(Replace::new).toList());

        assertThat(dns.recordSets(zone)).containsExactlyInAnyOrderElementsOf(sets);
        assertThat(stub.server.requests("POST", BATCH)).hasSize(1);
        JsonNode posts = lastBatch(stub).path("posts");
        assertThat(posts.valueStream().map(p -> p.path("proxied").asBoolean(true))).containsOnly(false);
        assertThat(posts.valueStream().map(p -> p.path("name").asString() + " " + p.path("type").asString() + " "
                + p.path("content").asString() + " " + p.path("priority").asString()))
                .contains("www.example.com CNAME example.com ", "example.com MX mail.example.com 10",
                        "dev.example.com NS ns1.example.net ", "mail._domainkey.example.com TXT " + splitDkim + " ");
        JsonNode srv = posts.valueStream().filter(p -> p.path("type").asString().equals("SRV")).findFirst().orElseThrow();
        assertThat(srv.path("data").toString())
                .isEqualTo("{\"priority\":10,\"weight\":5,\"port\":5060,\"target\":\"sip.example.com\"}");
        assertThat(srv.has("content")).isFalse();
        JsonNode caa = posts.valueStream().filter(p -> p.path("type").asString().equals("CAA")).findFirst().orElseThrow();
        assertThat(caa.path("data").toString()).isEqualTo("{\"flags\":0,\"tag\":\"issue\",\"value\":\"letsencrypt.org\"}");
    }

    @Test
    void recordsMadeInTheDashboardAreReadInPresentationFormat() {
        StubZone zone = stub.addZone("example.com");
        stub.addRecord(zone, "example.com", "A", "192.0.2.1", 1, true);
        stub.addRecord(zone, "example.com", "TXT", "say \"hi\"", 1, false);
        stub.addRecord(zone, "example.com", "HTTPS", "1 . alpn=\"h3,h2\"", 300, false);
        assertThat(dns.recordSets(dns.findZone("example.com").orElseThrow())).containsExactly(
                set("example.com", RecordType.A, 300, "192.0.2.1"),
                set("example.com", RecordType.TXT, 300, "\"say \\\"hi\\\"\""));
    }

    @Test
    void aReplaceThatChangesOneOfThreeValuesTouchesOnlyThatRecord() {
        ProviderZone zone = zone();
        dns.apply(zone, List.of(new Replace(set("www.example.com", RecordType.A, 300, "192.0.2.1", "192.0.2.2", "192.0.2.3"))));
        StubZone held = stub.zones.get(zone.id());
        StubRecord second = stub.records(held, "www.example.com", "A").get(1);

        dns.apply(zone, List.of(new Replace(set("www.example.com", RecordType.A, 300, "192.0.2.1", "198.51.100.7", "192.0.2.3"))));

        JsonNode batch = lastBatch(stub);
        assertThat(batch.path("deletes").isEmpty()).isTrue();
        assertThat(batch.path("posts").isEmpty()).isTrue();
        assertThat(batch.path("patches").toString())
                .isEqualTo("[{\"id\":\"" + second.id() + "\",\"content\":\"198.51.100.7\",\"ttl\":300}]");
        assertThat(stub.records(held, "www.example.com", "A")).extracting(StubRecord::content, StubRecord::version)
                .containsExactly(tuple("192.0.2.1", 1),
                        tuple("198.51.100.7", 2),
                        tuple("192.0.2.3", 1));
    }

    @Test
    void aReplaceKeepsAProxiedRecordProxied() {
        StubZone held = stub.addZone("example.com");
        stub.addRecord(held, "example.com", "A", "192.0.2.1", 1, true);
        ProviderZone zone = dns.findZone("example.com").orElseThrow();

        dns.apply(zone, List.of(new Replace(set("example.com", RecordType.A, 300, "198.51.100.7"))));

        assertThat(lastBatch(stub).path("patches").get(0).has("proxied")).isFalse();
        StubRecord record = stub.records(held, "example.com", "A").getFirst();
        assertThat(record.proxied()).isTrue();
        assertThat(record.content()).isEqualTo("198.51.100.7");
        assertThat(record.ttl()).isEqualTo(1);
    }

    @Test
    void setsThatAreAlreadyInPlaceSendNothing() {
        ProviderZone zone = zone();
        List<RecordSetChange> changes = List.of(new Replace(set("example.com", RecordType.MX, 3600, "10 mail.example.com.")),
                new Delete("old.example.com", RecordType.A));
        dns.apply(zone, changes);
        dns.apply(zone, changes);
        dns.apply(zone, List.of());
        assertThat(stub.server.requests("POST", BATCH)).hasSize(1);
    }

    @Test
    void aDeleteRemovesEveryRecordOfThatNameAndType() {
        ProviderZone zone = zone();
        dns.apply(zone, List.of(new Replace(set("example.com", RecordType.A, 300, "192.0.2.1", "192.0.2.2")),
                new Replace(set("example.com", RecordType.TXT, 300, "\"v=spf1 -all\""))));

        dns.apply(zone, List.of(new Delete("example.com", RecordType.A)));

        assertThat(lastBatch(stub).path("deletes")).hasSize(2);
        assertThat(dns.recordSets(zone)).containsExactly(set("example.com", RecordType.TXT, 300, "\"v=spf1 -all\""));
    }

    @Test
    void aRefusedBatchAppliesNothing() {
        ProviderZone zone = zone();
        DnsProviderException e = failure(Reason.INVALID, () -> dns.apply(zone, List.of(
                new Replace(set("example.com", RecordType.AAAA, 300, "2001:db8::1")),
                new Replace(set("www.example.com", RecordType.A, 300, "www.example.com")))));
        assertThat(e.messages()).containsExactly("Content for A record must be a valid IPv4 address. (9005)");
        assertThat(dns.recordSets(zone)).isEmpty();
    }

    @Test
    void aCnameBesideOtherRecordsIsRefused() {
        ProviderZone zone = zone();
        dns.apply(zone, List.of(new Replace(set("www.example.com", RecordType.A, 300, "192.0.2.1"))));
        DnsProviderException e = failure(Reason.INVALID, () -> dns.apply(zone,
                List.of(new Replace(set("www.example.com", RecordType.CNAME, 300, "example.com.")))));
        assertThat(e.messages()).containsExactly("An A, AAAA, or CNAME record with that host already exists. (81053)");
    }

    @Test
    void everyErrorOfTheArrayIsAMessage() {
        ProviderZone zone = zone();
        stub.server.failNext(Reply.json(400, Map.of("success", false, "messages", List.of(), "errors", List.of(
                Map.of("code", 1004, "message", "DNS Validation Error",
                        "error_chain", List.of(Map.of("code", 9021, "message", "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic."))),
                Map.of("code", 81058, "message", "An identical record already exists.")))));
        DnsProviderException e = failure(Reason.CONFLICT, () -> dns.apply(zone,
                List.of(new Replace(set("example.com", RecordType.A, 5, "192.0.2.1")))));
        assertThat(e.messages()).containsExactly(
                "DNS Validation Error (1004): Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic. (9021)",
                "An identical record already exists. (81058)");
    }

    @Test
    void aRateLimitIsWaitedOut() {
        stub.server.failNext(CloudflareStub.rateLimited(1));
        long started = System.nanoTime();
        assertThat(dns.verifyCredentials()).isEqualTo("API token active, 0 zones");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(stub.server.requests("GET", "/user/tokens/verify")).hasSize(2);
    }

    @Test
    void aRateLimitThatLastsIsReportedAfterTheAllowedRetries() {
        CloudflareDns impatient = connect(Duration.ofMillis(20), CloudflareStub.TOKEN, null);
        stub.server.failNext(10, CloudflareStub.rateLimited(60));
        DnsProviderException e = failure(Reason.RATE_LIMITED, impatient::zones);
        assertThat(e.messages()).containsExactly("Please wait and consider throttling your request speed (971)",
                "after 3 retries");
        assertThat(stub.server.requests()).hasSize(MAX_RETRIES + 1);
    }

    @Test
    void aServerErrorOnAPostIsNotRetried() {
        CloudflareDns withAccount = connect(Duration.ofMillis(1500), CloudflareStub.TOKEN, CloudflareStub.ACCOUNT_ID);
        stub.server.failNext(3, new Reply(500, Map.of("Content-Type", "text/html"), "<html><h1>500 Internal Server Error</h1></html>"));
        DnsProviderException e = failure(Reason.UNAVAILABLE, () -> withAccount.createZone("example.com"));
        assertThat(e.messages()).containsExactly("HTTP 500 Internal Server Error to POST /client/v4/zones");
        assertThat(stub.server.requests("POST", "/zones")).hasSize(1);
        assertThat(stub.zones).isEmpty();
    }

    @Test
    void aGatewayErrorOnAPostIsRetried() {
        CloudflareDns withAccount = connect(Duration.ofMillis(1500), CloudflareStub.TOKEN, CloudflareStub.ACCOUNT_ID);
        stub.server.failNext(CloudflareStub.error(503, 10001, "Service unavailable"));
        withAccount.createZone("example.com");
        assertThat(stub.server.requests("POST", "/zones")).hasSize(2);
        assertThat(stub.zones).hasSize(1);
    }

    @Test
    void outagesOfReadsAreRetried() {
        stub.addZone("example.com");
        stub.server.failNext(2, new Reply(500, Map.of("Content-Type", "text/html"), "<html>500</html>"));
        assertThat(dns.zones()).hasSize(1);
        assertThat(stub.server.requests()).extracting(Request::method).containsExactly("GET", "GET", "GET");
    }

    @Test
    void anUnreachableCloudflareIsUnavailable() {
        stub.close();
        DnsProviderException e = failure(Reason.UNAVAILABLE, dns::zones);
        assertThat(e.messages()).singleElement().asString()
                .startsWith("no answer from 127.0.0.1 to GET /client/v4/zones (connection refused) after 3 retries");
    }
}
