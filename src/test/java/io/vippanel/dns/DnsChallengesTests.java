package io.vippanel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsProvider;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.jobs.JobsTestProperties;
import io.vippanel.jobs.NewJob;
import io.vippanel.platform.Ids;
import io.vippanel.platform.VipProperties;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PowerDnsServer;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * DNS-01 challenges as the certificates module's order job uses them, inside a real job on the real worker against a
 * real PowerDNS (asked with dig): publish answers every value when it returns, a value that was there before survives
 * the removal, the zone that holds a name is the customer's own deepest active one, and a provider refusal or outage
 * fails the job and leaves nothing behind.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsChallengesTests {

    private static final Duration JOB = Duration.ofSeconds(60);
    /** Base64url values of 43 characters, as ACME's key authorisation digests are. */
    private static final String VALUE_1 = "Xg4zq6hT2a0b1c2d3e4f5g6h7i8j9k0lmnopqrstu_-";
    private static final String VALUE_2 = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";

    static PowerDnsServer pdns;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        PowerDnsServer.assumeUsable();
        pdns = PowerDnsServer.start();
        JobsTestProperties.register(registry, "dns_challenges");
        registry.add("vip.test.dns-challenge-jobs", () -> "true");
        registry.add("vip.dns.propagation-interval", () -> "200ms");
        registry.add("vip.dns.propagation-timeout", () -> "20s");
        registry.add("vip.dns.max-retries", () -> "1");
        registry.add("vip.dns.retry-base", () -> "100ms");
    }

    @Autowired
    ApplicationContext context;

    Fixture fixture;
    JdbcClient owner;
    SystemTransactions system;
    JobWatch watch;
    DnsChallenges challenges;
    DnsZones zones;
    String accountId;
    String base;
    DnsZone baseZone;
    DnsZone subZone;
    DnsZone goneZone;

    @BeforeAll
    void setUp() {
        fixture = Fixture.create(context);
        owner = JdbcClient.create(context.getBean(DataSource.class));
        system = context.getBean(SystemTransactions.class);
        watch = new JobWatch(context, fixture.superadmin, JOB);
        challenges = context.getBean(DnsChallenges.class);
        zones = context.getBean(DnsZones.class);
        base = "acme-" + UUID.randomUUID().toString().substring(0, 8) + ".test";

        accountId = Fixture.as(fixture.reseller1User, () -> context.getBean(DnsAccounts.class).create(fixture.reseller1User,
                new NewDnsAccount("powerdns", "Platform DNS", true, pdns.apiUrl(), pdns.apiKey(), "localhost",
                        String.join("\n", PowerDnsServer.NAMESERVERS), "127.0.0.1:" + pdns.dnsPort(), null, null, null, null))).id();
        baseZone = createZone(base, "_acme-challenge 300 IN TXT \"pre-existing\"\n@ 3600 IN A 192.0.2.10\n");
        subZone = createZone("sub." + base, null);
        goneZone = createZone("gone-" + base, null);
    }

    @AfterAll
    void tearDown() {
        if (pdns != null) {
            pdns.close();
        }
    }

    @Test
    @Order(1)
    void theZoneForAHostIsTheCustomersDeepestActiveOne() {
        String client1 = fixture.client1.path();
        assertThat(challenges.zoneFor(client1, "a.sub." + base)).map(DnsZone::id).contains(subZone.id());
        assertThat(challenges.zoneFor(client1, "sub." + base)).map(DnsZone::id).contains(subZone.id());
        assertThat(challenges.zoneFor(client1, "www." + base)).map(DnsZone::id).contains(baseZone.id());
        assertThat(challenges.zoneFor(client1, base)).map(DnsZone::id).contains(baseZone.id());
        assertThat(challenges.zoneFor(client1, "*." + base)).map(DnsZone::id).contains(baseZone.id());
        assertThat(challenges.zoneFor(client1, "*.SUB." + base.toUpperCase() + ".")).map(DnsZone::id).contains(subZone.id());
        assertThat(challenges.zoneFor(client1, "xsub." + base)).map(DnsZone::id).contains(baseZone.id());
        assertThat(challenges.zoneFor(client1, "elsewhere.test")).isEmpty();
        assertThat(challenges.zoneFor(client1, "x" + base)).isEmpty();

        // other tenants: neither another customer nor the reseller above gets the customer's zones
        assertThat(challenges.zoneFor(fixture.client2.path(), "www." + base)).isEmpty();
        assertThat(challenges.zoneFor(fixture.reseller1.path(), "www." + base)).isEmpty();
        String otherId = Ids.newId("zone");
        system.run(() -> owner.sql("""
                INSERT INTO dns_zones (id, tenant_id, account_id, name, status, provider_zone_id, created_at)
                VALUES (?, ?, ?, ?, 'active', 'x', now())""").params(otherId, fixture.client2.id(), accountId, "deep.sub." + base).update());
        assertThat(challenges.zoneFor(client1, "a.deep.sub." + base)).map(DnsZone::id).contains(subZone.id());
        assertThat(challenges.zoneFor(fixture.client2.path(), "a.deep.sub." + base)).map(DnsZone::id).contains(otherId);

        // zones that are not active
        for (String status : List.of("failed", "pending", "deleting")) {
            setStatus(subZone.id(), status);
            assertThat(challenges.zoneFor(client1, "a.sub." + base)).as(status).map(DnsZone::id).contains(baseZone.id());
        }
        setStatus(subZone.id(), "syncing");
        assertThat(challenges.zoneFor(client1, "a.sub." + base)).map(DnsZone::id).contains(subZone.id());
        setStatus(subZone.id(), "active");

        assertThatThrownBy(() -> challenges.zoneFor(client1, "not a host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> challenges.zoneFor(client1, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Order(2)
    void publishedValuesAreAnsweredWhenPublishReturnsAndRemoveKeepsWhatWasThereBefore() throws Exception {
        String name = "_acme-challenge." + base;
        AtomicReference<PublishedChallenge> published = new AtomicReference<>();
        AtomicReference<String> answered = new AtomicReference<>();
        Job publish = succeeded(inJob(job -> {
            published.set(challenges.publish(job, fixture.client1.path(), "_ACME-Challenge." + base + ".", List.of(VALUE_1, VALUE_2, VALUE_1)));
            answered.set(dig(name, "TXT", "+short"));
            return JobOutcome.of("published");
        }));
        assertThat(answered.get().lines().sorted().toList())
                .containsExactly("\"" + VALUE_2 + "\"", "\"" + VALUE_1 + "\"", "\"pre-existing\"");
        PublishedChallenge challenge = published.get();
        assertThat(challenge.zoneId()).isEqualTo(baseZone.id());
        assertThat(challenge.recordName()).isEqualTo(name);
        assertThat(challenge.values()).containsExactly(VALUE_1, VALUE_2);
        assertThat(challenge.propagation()).isPositive();
        assertThat(watch.lines(publish.id()))
                .anyMatch(line -> line.startsWith("Publishing the DNS-01 challenge " + name + " TXT (2 values) in zone " + base))
                .anyMatch(line -> line.contains("Set " + name + " TXT to") && line.contains("(TTL 60)"))
                .anyMatch(line -> line.contains("1 of 1 servers answer all 1 changed record sets."))
                .anyMatch(line -> line.startsWith("The DNS-01 challenge " + name + " is answered by every server"));
        assertThat(txtRows(name)).containsExactlyInAnyOrder("\"pre-existing\"", "\"" + VALUE_1 + "\"", "\"" + VALUE_2 + "\"");
        assertThat(pdns.query(name, org.xbill.DNS.Type.TXT).getSection(org.xbill.DNS.Section.ANSWER).getFirst().getTTL()).isEqualTo(60);
        DnsZone after = zone(baseZone.id());
        assertThat(after.status()).isEqualTo(ZoneStatus.ACTIVE);
        assertThat(after.pendingSets()).isZero();

        Job remove = succeeded(inJob(job -> {
            challenges.remove(job, challenge);
            return JobOutcome.of("removed");
        }));
        assertThat(watch.lines(remove.id())).anyMatch(line -> line.contains("Removing the DNS-01 challenge " + name + " TXT (2 values)"));
        assertThat(dig(name, "TXT", "+short")).isEqualTo("\"pre-existing\"");
        assertThat(txtRows(name)).containsExactly("\"pre-existing\"");
        assertThat(zone(baseZone.id()).status()).isEqualTo(ZoneStatus.ACTIVE);
        assertThat(zone(baseZone.id()).pendingSets()).isZero();
    }

    @Test
    @Order(3)
    void aWildcardOrderPublishesInTheDeepestZoneEvenWhenItIsFull() throws Exception {
        String name = "_acme-challenge.sub." + base;
        long filler = DnsZones.MAX_RECORDS;
        system.run(() -> owner.sql("""
                INSERT INTO dns_records (id, tenant_id, zone_id, name, type, ttl, content, created_at, updated_at)
                SELECT 'rec_chfill' || n, z.tenant_id, z.id, 'filler' || n || '.' || z.name, 'A', 3600, '192.0.2.1', now(), now()
                  FROM dns_zones z, generate_series(1, ?) n WHERE z.id = ?""").params(filler, subZone.id()).update());
        try {
            AtomicReference<String> answered = new AtomicReference<>();
            succeeded(inJob(job -> {
                String host = "*.sub." + base;
                DnsZone zone = challenges.zoneFor(fixture.client1.path(), host).orElseThrow();
                PublishedChallenge challenge = challenges.publish(job, fixture.client1.path(), "_acme-challenge." + host.substring(2),
                        List.of(VALUE_1));
                assertThat(challenge.zoneId()).isEqualTo(zone.id()).isEqualTo(subZone.id());
                answered.set(dig(name, "TXT", "+short"));
                challenges.remove(job, challenge);
                return JobOutcome.of("done");
            }));
            assertThat(answered.get()).isEqualTo("\"" + VALUE_1 + "\"");
            assertThat(pdns.query(name, org.xbill.DNS.Type.TXT).getRcode()).isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
            assertThat(txtRows(name)).isEmpty();
        } finally {
            system.run(() -> owner.sql("DELETE FROM dns_records WHERE id LIKE 'rec_chfill%'").update());
        }
    }

    @Test
    @Order(4)
    void namesAndValuesThatCannotBeAChallengeAreProgrammingErrors() {
        succeeded(inJob(job -> {
            String tenant = fixture.client1.path();
            assertThatThrownBy(() -> challenges.publish(job, tenant, "www." + base, List.of(VALUE_1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("_acme-challenge.");
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge.*." + base, List.of(VALUE_1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge." + base, List.of("has space")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge." + base, List.of("\"quoted\"")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge." + base, List.of("a".repeat(256))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge." + base, List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> challenges.publish(job, tenant, "_acme-challenge.elsewhere.test", List.of(VALUE_1)))
                    .isInstanceOf(JobFailure.class).matches(e -> !((JobFailure) e).retryable());
            return JobOutcome.of("checked");
        }));
        assertThat(txtRows("_acme-challenge." + base)).containsExactly("\"pre-existing\"");
    }

    @Test
    @Order(5)
    void aRefusalFailsForGoodLeavesNothingAndKeepsTheZoneActive() throws Exception {
        DnsProvider provider = new PowerDnsProvider(pdns.credentials(), context.getBean(VipProperties.class).dns());
        provider.deleteZone(provider.findZone(goneZone.name()).orElseThrow());
        String name = "_acme-challenge." + goneZone.name();
        AtomicReference<JobFailure> failure = new AtomicReference<>();
        Job job = inJob(run -> {
            try {
                challenges.publish(run, fixture.client1.path(), name, List.of(VALUE_1, VALUE_2));
            } catch (JobFailure e) {
                failure.set(e);
                throw e;
            }
            return JobOutcome.of("unexpected");
        });
        assertThat(watch.awaitFinal(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(failure.get()).isNotNull();
        assertThat(failure.get().retryable()).as(failure.get().getMessage()).isFalse();
        assertThat(txtRows(name)).isEmpty();
        assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("Taking the challenge values of " + name + " out again"));
        assertThat(zone(goneZone.id()).status()).isEqualTo(ZoneStatus.ACTIVE);
    }

    @Test
    @Order(6)
    void anOutageFailsForARetryLeavesNothingAndQueuesTheZonesSync() {
        String name = "_acme-challenge." + base;
        pdns.close();
        AtomicReference<JobFailure> failure = new AtomicReference<>();
        AtomicReference<ZoneStatus> statusAfter = new AtomicReference<>();
        Job job = inJob(run -> {
            try {
                challenges.publish(run, fixture.client1.path(), name, List.of(VALUE_2));
            } catch (JobFailure e) {
                failure.set(e);
                statusAfter.set(zone(baseZone.id()).status());
                throw e;
            }
            return JobOutcome.of("unexpected");
        });
        assertThat(watch.awaitFinal(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(failure.get()).isNotNull();
        assertThat(failure.get().retryable()).as(failure.get().getMessage()).isTrue();
        assertThat(statusAfter.get()).isIn(ZoneStatus.ACTIVE, ZoneStatus.SYNCING);
        assertThat(txtRows(name)).containsExactly("\"pre-existing\"");
        assertThat(watch.lines(job.id())).anyMatch(line -> line.contains("waits in the panel for the zone's sync job_"));
        String sync = zone(baseZone.id()).lastJobId();
        assertThat(watch.current(sync).type()).isEqualTo("dns.sync-zone");
    }

    private DnsZone createZone(String name, String zoneFile) {
        ZoneCreated created = Fixture.as(fixture.client1User, () -> zones.create(fixture.client1User, new NewZone(accountId, name, zoneFile)));
        succeeded(created.jobId());
        return zone(created.zone().id());
    }

    private DnsZone zone(String id) {
        return Fixture.as(fixture.client1User, () -> zones.get(fixture.client1User, id));
    }

    private void setStatus(String zoneId, String status) {
        system.run(() -> owner.sql("UPDATE dns_zones SET status = ? WHERE id = ?").params(status, zoneId).update());
    }

    private List<String> txtRows(String name) {
        return system.call(() -> owner.sql("SELECT content FROM dns_records WHERE name = ? AND type = 'TXT' ORDER BY content")
                .param(name).query(String.class).list());
    }

    /** Queues a job of the test type that runs {@code work} on the worker. */
    private Job inJob(Function<JobContext, JobOutcome> work) {
        String key = UUID.randomUUID().toString();
        TestChallengeJobType.WORK.put(key, work);
        return watch.enqueue(new NewJob(fixture.client1.id(), TestChallengeJobType.NAME, "DNS-01 challenge test", null, null,
                Map.of("key", key), null));
    }

    private Job succeeded(Job job) {
        return succeeded(job.id());
    }

    private Job succeeded(String jobId) {
        Job job = watch.awaitFinal(jobId);
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static String dig(String... arguments) {
        try {
            return pdns.dig(arguments).strip();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
