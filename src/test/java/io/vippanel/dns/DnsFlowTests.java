package io.vippanel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsProvider;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.jobs.JobsTestProperties;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerFixtures;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.SiteCreated;
import io.vippanel.sites.Sites;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PowerDnsServer;
import io.vippanel.tenancy.SystemTransactions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DNS through the REST API with a real worker against a real PowerDNS (Debian's pdns-server with sqlite3, started on
 * loopback): a reseller connects it and shares it, a customer creates a zone from a zone file, adds every record
 * type, signs it, and the PowerDNS answers (asked with dnsjava and dig) are what the panel wrote. Bad input and other
 * tenants get 4xx and change nothing.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsFlowTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration JOB = Duration.ofSeconds(60);

    static PowerDnsServer pdns;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PowerDnsServer.assumeUsable();
        pdns = PowerDnsServer.start();
        JobsTestProperties.register(registry, "dns_flow");
        registry.add("vip.dns.propagation-interval", () -> "200ms");
        registry.add("vip.dns.propagation-timeout", () -> "20s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JdbcClient owner;
    SystemTransactions system;
    JobWatch watch;
    PanelClient reseller;
    PanelClient client;
    PanelClient otherClient;
    String accountId;
    String zone;
    String zoneId;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        watch = new JobWatch(context, fixture.superadmin, JOB);
        reseller = PanelClient.api(port, fixture.tokenOf(fixture.reseller1User));
        client = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        otherClient = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        zone = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
    }

    @AfterAll
    void tearDown() {
        if (pdns != null) {
            pdns.close();
        }
    }

    @Test
    @Order(1)
    void aResellerConnectsPowerDnsOnlyWithAKeyItAccepts() {
        JsonNode refused = json(reseller.send("POST", "/api/v1/dns/accounts", account("wrong-key-" + "x".repeat(20))), 422);
        assertThat(refused.path("errors").path("apiKey").asString()).contains("PowerDNS refused the credentials");
        JsonNode customer = json(client.send("POST", "/api/v1/dns/accounts", account(pdns.apiKey())), 422);
        assertThat(customer.path("errors").path("kind").asString()).contains("connected by the platform or your reseller");
        assertThat(count("SELECT count(*) FROM dns_accounts")).isZero();

        JsonNode created = json(reseller.send("POST", "/api/v1/dns/accounts", account(pdns.apiKey())), 201);
        accountId = created.path("id").asString();
        assertThat(created.path("lastCheckNote").asString()).startsWith("PowerDNS 4.");
        assertThat(created.toString()).doesNotContain(pdns.apiKey());
        assertThat(system.call(() -> owner.sql("SELECT credentials FROM dns_accounts WHERE id = ?").param(accountId).query(String.class).single()))
                .doesNotContain(pdns.apiKey());
    }

    @Test
    @Order(2)
    void theSharedAccountIsUsableBelowButNeitherReadableThereNorInTheOtherSubtree() {
        JsonNode seen = json(client.get("/api/v1/dns/accounts"), 200);
        assertThat(seen.toString()).contains(accountId).doesNotContain(pdns.apiKey());
        assertThat(client.send("POST", "/api/v1/dns/accounts/" + accountId + "/test", null).statusCode()).isEqualTo(404);
        assertThat(client.send("DELETE", "/api/v1/dns/accounts/" + accountId, null).statusCode()).isEqualTo(404);
        assertThat(otherClient.get("/api/v1/dns/accounts/" + accountId).statusCode()).isEqualTo(404);
        JsonNode other = json(otherClient.send("POST", "/api/v1/dns/zones", """
                {"accountId": "%s", "name": "other-%s"}""".formatted(accountId, zone)), 422);
        assertThat(other.path("errors").path("accountId").asString()).contains("Choose one of the DNS accounts");
    }

    @Test
    @Order(3)
    void aZoneCreatedFromAZoneFileIsServedWithItsRecords() throws Exception {
        String file = """
                $ORIGIN %s.
                $TTL 3600
                @       IN SOA ns1.old.example. hostmaster.old.example. 1 7200 3600 1209600 3600
                @       IN NS  ns1.old.example.
                @       IN A   192.0.2.10
                www     300 IN CNAME @
                @       IN MX  10 mail
                mail    IN A   192.0.2.25
                @       IN TXT "v=spf1 mx -all"
                """.formatted(zone);
        JsonNode created = json(client.send("POST", "/api/v1/dns/zones", JSON.writeValueAsString(
                java.util.Map.of("accountId", accountId, "name", zone.toUpperCase(Locale.ROOT), "zoneFile", file))), 201);
        zoneId = created.path("zone").path("id").asString();
        assertThat(created.path("zone").path("name").asString()).isEqualTo(zone);
        assertThat(created.path("importNotes").toString()).contains("SOA").contains("NS");
        Job job = succeeded(created.path("jobId").asString());
        assertThat(job.summary()).contains("ns1.panel.test");
        assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("1 of 1 servers answer all 5 changed record sets"));

        JsonNode zoneJson = json(client.get("/api/v1/dns/zones/" + zoneId), 200);
        assertThat(zoneJson.path("status").asString()).isEqualTo("active");
        assertThat(zoneJson.path("pendingSets").asInt()).isZero();
        assertThat(zoneJson.path("nameservers").toString()).contains("ns1.panel.test", "ns2.panel.test");
        assertThat(dig(zone, "A", "+short")).isEqualTo("192.0.2.10");
        assertThat(dig("www." + zone, "CNAME", "+short")).isEqualTo(zone + ".");
        assertThat(dig(zone, "MX", "+short")).isEqualTo("10 mail." + zone + ".");
        assertThat(dig(zone, "TXT", "+short")).isEqualTo("\"v=spf1 mx -all\"");
        assertThat(dig(zone, "NS", "+short")).contains("ns1.panel.test.").doesNotContain("old.example");
    }

    @Test
    @Order(4)
    void aZoneNameHasOneOwnerInThePanel() {
        JsonNode taken = json(reseller.send("POST", "/api/v1/dns/zones", """
                {"accountId": "%s", "name": "%s"}""".formatted(accountId, zone)), 422);
        assertThat(taken.path("errors").path("name").asString()).contains("already managed in the panel");
        JsonNode invalid = json(client.send("POST", "/api/v1/dns/zones", """
                {"accountId": "%s", "name": "not a domain"}""".formatted(accountId)), 422);
        assertThat(invalid.path("errors").path("name").asString()).contains("not a valid host name");
        JsonNode badFile = json(client.send("POST", "/api/v1/dns/zones", JSON.writeValueAsString(java.util.Map.of(
                "accountId", accountId, "name", "second-" + zone, "zoneFile", "@ IN A 192.0.2.1\nwww IN BOGUS x\n"))), 422);
        assertThat(badFile.path("errors").path("zoneFile").asString()).contains("line 2");
        assertThat(count("SELECT count(*) FROM dns_zones")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void everyRecordTypeIsAppliedAndAnswered() throws Exception {
        String longText = "k=rsa; p=" + "A".repeat(400);
        List<String> jobs = new ArrayList<>();
        jobs.add(add("@", "AAAA", 3600, "2001:DB8:0:0:0:0:0:10").path("jobId").asString());
        jobs.add(add("_sip._tcp", "SRV", 600, "10 5 5060 sip." + zone).path("jobId").asString());
        jobs.add(add("@", "CAA", 3600, "0 issue \"letsencrypt.org\"").path("jobId").asString());
        jobs.add(add("mail._domainkey", "TXT", 3600, longText).path("jobId").asString());
        jobs.add(add("sub", "NS", 3600, "ns1.elsewhere.example").path("jobId").asString());
        jobs.add(add("*.apps", "A", 300, "192.0.2.50").path("jobId").asString());
        jobs.add(add("@", "MX", 3600, "20 backup-mx.example.net").path("jobId").asString());
        jobs.forEach(this::succeeded);

        assertThat(dig(zone, "AAAA", "+short")).isEqualTo("2001:db8::10");
        assertThat(dig("_sip._tcp." + zone, "SRV", "+short")).isEqualTo("10 5 5060 sip." + zone + ".");
        assertThat(dig(zone, "CAA", "+short")).isEqualTo("0 issue \"letsencrypt.org\"");
        assertThat(dig("mail._domainkey." + zone, "TXT", "+short").replace("\" \"", "")).isEqualTo("\"" + longText + "\"");
        assertThat(pdns.query("sub." + zone, Type.NS).getSection(org.xbill.DNS.Section.AUTHORITY).toString())
                .contains("ns1.elsewhere.example.");
        assertThat(dig("anything.apps." + zone, "A", "+short")).isEqualTo("192.0.2.50");
        assertThat(dig(zone, "MX", "+short").lines().sorted().toList())
                .containsExactly("10 mail." + zone + ".", "20 backup-mx.example.net.");
        JsonNode records = json(client.get("/api/v1/dns/zones/" + zoneId + "/records"), 200);
        assertThat(records.size()).isEqualTo(12);
        records.forEach(record -> assertThat(record.path("pending").asBoolean()).isFalse());
    }

    @Test
    @Order(6)
    void badRecordsAre422WithTheFieldAndChangeNothing() {
        long before = recordCount();
        assertThat(addFails("www2", "A", 3600, "192.0.2.300").path("errors").path("content").asString()).contains("192.0.2.300");
        assertThat(addFails("@", "CNAME", 3600, "elsewhere.example").path("errors").path("name").asString()).contains("apex");
        assertThat(addFails("www", "A", 3600, "192.0.2.11").path("errors").path("content").asString()).contains("CNAME");
        assertThat(addFails("sip", "SRV", 3600, "10 5 5060 sip.example.com").path("errors").path("name").asString()).contains("_service._proto");
        assertThat(addFails("@", "CAA", 3600, "0 issuer \"letsencrypt.org\"").path("errors").path("content").asString()).contains("issue");
        assertThat(addFails("@", "A", 5, "192.0.2.12").path("errors").path("ttl").asString()).contains("60");
        assertThat(addFails("@", "NS", 3600, "ns9.example.net").path("errors").path("name").asString()).isNotBlank();
        assertThat(addFails("@", "SPF", 3600, "v=spf1").path("errors").path("type").asString()).isNotBlank();
        assertThat(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/records", "{not json").statusCode()).isEqualTo(400);
        assertThat(recordCount()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM dns_pending_sets")).isZero();
    }

    @Test
    @Order(7)
    void anotherCustomerCannotSeeOrChangeTheZone() {
        assertThat(otherClient.get("/api/v1/dns/zones/" + zoneId).statusCode()).isEqualTo(404);
        assertThat(otherClient.get("/api/v1/dns/zones/" + zoneId + "/records").statusCode()).isEqualTo(404);
        assertThat(otherClient.get("/api/v1/dns/zones/" + zoneId + "/export").statusCode()).isEqualTo(404);
        assertThat(otherClient.send("POST", "/api/v1/dns/zones/" + zoneId + "/records", """
                {"name": "evil", "type": "A", "content": "192.0.2.66"}""").statusCode()).isEqualTo(404);
        String recordId = recordIdOf("mail." + zone, "A");
        assertThat(otherClient.send("DELETE", "/api/v1/dns/zones/" + zoneId + "/records/" + recordId, null).statusCode()).isEqualTo(404);
        assertThat(otherClient.send("DELETE", "/api/v1/dns/zones/" + zoneId + "?confirm=" + zone, null).statusCode()).isEqualTo(404);
        assertThat(json(otherClient.get("/api/v1/dns/zones"), 200).path("total").asLong()).isZero();
        assertThat(json(client.get("/api/v1/dns/zones"), 200).path("total").asLong()).isEqualTo(1);
    }

    @Test
    @Order(8)
    void aChangedAndADeletedRecordAreAnsweredSo() throws Exception {
        String mail = recordIdOf("mail." + zone, "A");
        succeeded(json(client.send("PUT", "/api/v1/dns/zones/" + zoneId + "/records/" + mail, """
                {"name": "mail", "type": "A", "ttl": 600, "content": "192.0.2.26"}"""), 200).path("jobId").asString());
        assertThat(dig("mail." + zone, "A", "+short")).isEqualTo("192.0.2.26");
        String wildcard = recordIdOf("*.apps." + zone, "A");
        succeeded(json(client.send("DELETE", "/api/v1/dns/zones/" + zoneId + "/records/" + wildcard, null), 200).path("jobId").asString());
        assertThat(pdns.query("anything.apps." + zone, Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    @Order(9)
    void theExportReadsBackAndAnImportReplacesTheSetsItNames() throws Exception {
        HttpResponse<String> export = client.get("/api/v1/dns/zones/" + zoneId + "/export");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse("")).contains(zone + ".zone");
        assertThat(export.body()).contains("$ORIGIN " + zone + ".").contains("192.0.2.26").contains("letsencrypt.org");

        JsonNode imported = json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/import", JSON.writeValueAsString(
                java.util.Map.of("zoneFile", "mail 600 IN A 192.0.2.27\nmail 600 IN A 192.0.2.28\nftp IN HINFO \"x\" \"y\"\n"))), 200);
        assertThat(imported.path("notes").toString()).contains("HINFO");
        succeeded(imported.path("jobId").asString());
        assertThat(dig("mail." + zone, "A", "+short").lines().sorted().toList()).containsExactly("192.0.2.27", "192.0.2.28");
        assertThat(dig(zone, "A", "+short")).isEqualTo("192.0.2.10");

        JsonNode broken = json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/import", JSON.writeValueAsString(
                java.util.Map.of("zoneFile", "ok IN A 192.0.2.1\n(unclosed IN TXT \"x\n"))), 422);
        assertThat(broken.path("errors").path("zoneFile").asString()).contains("line");
        assertThat(pdns.query("ok." + zone, Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    @Order(10)
    void dnssecSignsTheZoneAndShowsItsDsRecords() throws Exception {
        succeeded(json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/dnssec", "{\"enabled\": true}"), 202).path("jobId").asString());
        JsonNode signed = json(client.get("/api/v1/dns/zones/" + zoneId), 200);
        assertThat(signed.path("dnssec").asBoolean()).isTrue();
        String ds = signed.path("dsRecords").get(0).asString();
        assertThat(ds).matches("\\d+ 13 2 [0-9A-F]{64}");
        assertThat(dig(zone, "DNSKEY", "+short")).startsWith("257 3 13 ");
        assertThat(pdns.queryWithDnssec(zone, Type.A).getSection(org.xbill.DNS.Section.ANSWER).stream()
                .anyMatch(record -> record.getType() == Type.RRSIG)).isTrue();

        succeeded(json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/dnssec", "{\"enabled\": false}"), 202).path("jobId").asString());
        assertThat(json(client.get("/api/v1/dns/zones/" + zoneId), 200).path("dsRecords").size()).isZero();
        assertThat(dig(zone, "DNSKEY", "+short")).isEmpty();
    }

    @Test
    @Order(11)
    void aChangeMadeAtTheProviderIsShownAsDriftAndNotOverwritten() throws Exception {
        DnsProvider provider = new PowerDnsProvider(pdns.credentials(), context.getBean(VipProperties.class).dns());
        ProviderZone providerZone = provider.findZone(zone).orElseThrow();
        provider.apply(providerZone, List.of(
                new RecordSetChange.Replace(new RecordSet(zone, RecordType.A, 3600, List.of("198.51.100.7"))),
                new RecordSetChange.Replace(new RecordSet("added-by-hand." + zone, RecordType.TXT, 300, List.of("\"hello\"")))));

        Job check = succeeded(json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/drift", null), 202).path("jobId").asString());
        assertThat(check.summary()).contains("2 record sets differ");
        JsonNode drift = json(client.get("/api/v1/dns/zones/" + zoneId), 200).path("drift");
        assertThat(drift.toString()).contains("198.51.100.7").contains("added-by-hand." + zone);
        assertThat(dig(zone, "A", "+short")).isEqualTo("198.51.100.7");

        JsonNode kept = json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/drift/resolve", """
                {"name": "%s", "type": "A", "keep": "panel"}""".formatted(zone)), 200);
        succeeded(kept.path("jobId").asString());
        assertThat(dig(zone, "A", "+short")).isEqualTo("192.0.2.10");
        json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/drift/resolve", """
                {"name": "added-by-hand.%s", "type": "TXT", "keep": "provider"}""".formatted(zone)), 200);
        assertThat(recordIdOf("added-by-hand." + zone, "TXT")).startsWith("rec_");
        assertThat(json(client.get("/api/v1/dns/zones/" + zoneId), 200).path("drift").size()).isZero();
    }

    @Test
    @Order(12)
    void aSiteGetsItsAddressRecordsAndTheyGoWithItWhenAsked() throws Exception {
        Server server = new ServerFixtures(context).readyServer(fixture.client1User, "dns-web", "203.0.113.40");
        Sites sites = context.getBean(Sites.class);
        SiteCreated site = Fixture.as(fixture.client1User, () -> sites.create(fixture.client1User, new NewSite(server.id(), "static",
                "blog." + zone, "www.blog." + zone + " mail." + zone, false, null, null, null, null, null, null, null, null)));
        awaitNothingPending();
        assertThat(dig("blog." + zone, "A", "+short")).isEqualTo("203.0.113.40");
        assertThat(dig("www.blog." + zone, "A", "+short")).isEqualTo("203.0.113.40");
        assertThat(dig("mail." + zone, "A", "+short").lines().sorted().toList())
                .as("a name that already has an address keeps it").containsExactly("192.0.2.27", "192.0.2.28");
        JsonNode records = json(client.get("/api/v1/dns/zones/" + zoneId + "/records"), 200);
        assertThat(records.toString()).contains(site.site().id());

        Fixture.as(fixture.client1User, () -> sites.delete(fixture.client1User, site.site().id(), "blog." + zone, true));
        awaitNothingPending();
        assertThat(pdns.query("blog." + zone, Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(json(client.get("/api/v1/dns/zones/" + zoneId + "/records"), 200).toString()).doesNotContain(site.site().id());
    }

    @Test
    @Order(13)
    void aFullZoneTakesNoNewRecordButItsRecordsStillChange() {
        long present = recordCount();
        long filler = DnsZones.MAX_RECORDS - present;
        system.run(() -> owner.sql("""
                INSERT INTO dns_records (id, tenant_id, zone_id, name, type, ttl, content, created_at, updated_at)
                SELECT 'rec_filler' || n, z.tenant_id, z.id, 'filler' || n || '.' || z.name, 'A', 3600, '192.0.2.1', now(), now()
                  FROM dns_zones z, generate_series(1, ?) n WHERE z.id = ?""").params(filler, zoneId).update());
        try {
            assertThat(addFails("one-more", "A", 3600, "192.0.2.99").path("errors").path("name").asString())
                    .contains(Integer.toString(DnsZones.MAX_RECORDS));
            String mail = recordIdOf("mail." + zone, "A");
            succeeded(json(client.send("PUT", "/api/v1/dns/zones/" + zoneId + "/records/" + mail, """
                    {"name": "mail", "type": "A", "ttl": 600, "content": "192.0.2.29"}"""), 200).path("jobId").asString());
            assertThat(recordCount()).isEqualTo(DnsZones.MAX_RECORDS);
        } finally {
            system.run(() -> owner.sql("DELETE FROM dns_records WHERE id LIKE 'rec_filler%'").update());
        }
    }

    @Test
    @Order(14)
    void deletingTheZoneNeedsItsNameAndTakesItOffTheServer() throws Exception {
        JsonNode refused = json(client.send("DELETE", "/api/v1/dns/zones/" + zoneId + "?confirm=wrong.test", null), 422);
        assertThat(refused.path("errors").path("confirm").asString()).contains(zone);
        assertThat(reseller.send("DELETE", "/api/v1/dns/accounts/" + accountId, null).statusCode()).isEqualTo(422);
        succeeded(json(client.send("DELETE", "/api/v1/dns/zones/" + zoneId + "?confirm=" + zone, null), 202).path("jobId").asString());
        assertThat(client.get("/api/v1/dns/zones/" + zoneId).statusCode()).isEqualTo(404);
        assertThat(pdns.query(zone, Type.SOA).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(reseller.send("DELETE", "/api/v1/dns/accounts/" + accountId, null).statusCode()).isEqualTo(204);
    }

    private static String dig(String... arguments) throws Exception {
        return pdns.dig(arguments).strip();
    }

    private String account(String key) {
        return """
                {"kind": "powerdns", "name": "Platform DNS", "shared": true, "apiUrl": "%s", "apiKey": "%s",
                 "nameservers": ["ns1.panel.test", "ns2.panel.test"], "checkServers": ["127.0.0.1:%d"]}"""
                .formatted(pdns.apiUrl(), key, pdns.dnsPort());
    }

    private JsonNode add(String name, String type, int ttl, String content) {
        return json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/records", JSON.writeValueAsString(
                java.util.Map.of("name", name, "type", type, "ttl", ttl, "content", content))), 201);
    }

    private JsonNode addFails(String name, String type, int ttl, String content) {
        return json(client.send("POST", "/api/v1/dns/zones/" + zoneId + "/records", JSON.writeValueAsString(
                java.util.Map.of("name", name, "type", type, "ttl", ttl, "content", content))), 422);
    }

    private long recordCount() {
        return count("SELECT count(*) FROM dns_records");
    }

    private long count(String sql) {
        return system.call(() -> owner.sql(sql).query(Long.class).single());
    }

    private String recordIdOf(String name, String type) {
        for (JsonNode record : json(client.get("/api/v1/dns/zones/" + zoneId + "/records"), 200)) {
            if (record.path("name").asString().equals(name) && record.path("type").asString().equals(type)) {
                return record.path("id").asString();
            }
        }
        throw new AssertionError("no " + name + " " + type);
    }

    private void awaitNothingPending() {
        String lastJob = json(client.get("/api/v1/dns/zones/" + zoneId), 200).path("lastJobId").asString();
        succeeded(lastJob);
        assertThat(json(client.get("/api/v1/dns/zones/" + zoneId), 200).path("pendingSets").asInt()).isZero();
    }

    private Job succeeded(String jobId) {
        Job job = watch.awaitFinal(jobId);
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
