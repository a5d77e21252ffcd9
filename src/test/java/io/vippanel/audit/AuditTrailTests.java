package io.vippanel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelCli;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The hash chain: privileged acts are recorded, and `audit verify` names the entry that someone altered or removed. */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailTests {

    static final String DATABASE = TestDatabase.create("audit");

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("vip.database.url", () -> DATABASE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    AuditTrail trail;

    Fixture fixture;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
        PanelClient reseller = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        reseller.postForm("/tenants", Map.of("name", "Audited client", "kind", "client", "parentId", fixture.reseller1.id()));
        PanelClient.browser(port).loginAttempt(fixture.client1User.email(), "not the password");
        PanelClient.browser(port).login(fixture.client1User.email(), Fixture.PASSWORD).get("/tenants");
    }

    @Test
    @Order(1)
    void permissionDenialsAreRecorded() {
        var denials = Fixture.as(fixture.superadmin, () -> trail.list(fixture.superadmin, new AuditFilter(null, "access.denied", null, null, null), 10, 0));
        assertThat(denials).anySatisfy(e -> {
            assertThat(e.actorId()).isEqualTo(fixture.client1User.userId());
            assertThat(e.outcome()).isEqualTo("denied");
            assertThat(e.targetId()).isEqualTo("GET /tenants");
        });
    }

    @Test
    @Order(1)
    void privilegedActsAreRecordedWithWhoWhatAndWhere() {
        var entries = Fixture.as(fixture.superadmin, () -> trail.list(fixture.superadmin, AuditFilter.NONE, 100, 0));
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("tenant.create");
            assertThat(e.actorEmail()).isEqualTo(fixture.reseller1User.email());
            assertThat(e.ip()).isEqualTo("127.0.0.1");
            assertThat(e.details()).contains("Audited client");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("auth.login");
            assertThat(e.outcome()).isEqualTo("failure");
            assertThat(e.details()).contains("bad_credentials").doesNotContain("not the password");
        });
    }

    @Test
    @Order(2)
    void resellersSeeOnlyTheirSubtree() {
        var entries = Fixture.as(fixture.reseller2User, () -> trail.list(fixture.reseller2User, AuditFilter.NONE, 1000, 0));
        assertThat(entries).allSatisfy(e -> assertThat(e.tenantId()).isIn(fixture.reseller2.id(), fixture.client2.id()));
        assertThat(Fixture.as(fixture.reseller1User, () -> trail.list(fixture.reseller1User, AuditFilter.NONE, 1000, 0))).isNotEmpty()
                .allSatisfy(e -> assertThat(e.tenantId()).isNotIn(fixture.platform.id(), fixture.reseller2.id(), fixture.client2.id()));
    }

    @Test
    @Order(3)
    void verifyPassesOnAnIntactChain() {
        PanelCli.Result result = verifyWithCli();
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("audit trail intact");
    }

    @Test
    @Order(4)
    void verifyNamesAnAlteredEntry() throws Exception {
        long seq = superuser("SELECT seq FROM audit_log WHERE action = 'tenant.create' ORDER BY seq LIMIT 1");
        try (Connection connection = TestDatabase.superuser(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("UPDATE audit_log SET details = '{\"name\":\"nothing happened\"}' WHERE seq = " + seq);
        }
        PanelCli.Result result = verifyWithCli();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("BROKEN at entry #" + seq).contains("altered");
    }

    @Test
    @Order(5)
    void verifyNamesTheEntryAfterARemovedOne() throws Exception {
        try (Connection connection = TestDatabase.superuser(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("DELETE FROM audit_log WHERE seq < (SELECT max(seq) FROM audit_log)");
        }
        long first = superuser("SELECT min(seq) FROM audit_log");
        AuditTrail.Verification result = trail.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.message()).contains("#" + first).contains("does not link");
    }

    private static PanelCli.Result verifyWithCli() {
        return PanelCli.run(DATABASE, "audit", "verify");
    }

    private static long superuser(String sql) throws Exception {
        try (Connection connection = TestDatabase.superuser(DATABASE); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
