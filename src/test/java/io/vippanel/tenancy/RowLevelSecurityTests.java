package io.vippanel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelTest;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queries written WITHOUT the application's tenant filter, run as the application's database role: PostgreSQL
 * row-level security alone must keep other tenants' rows out.
 */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecurityTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    Fixture fixture;
    JdbcClient jdbc;
    TransactionTemplate transaction;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
        jdbc = JdbcClient.create(dataSource);
        transaction = new TransactionTemplate(transactionManager);
    }

    @Test
    void unfilteredQueriesSeeOnlyTheScopedTenantsRows() {
        List<String> userTenants = inScope(fixture.client1.path(), () ->
                jdbc.sql("SELECT DISTINCT tenant_id FROM users").query(String.class).list());
        assertThat(userTenants).containsExactly(fixture.client1.id());

        List<String> tenants = inScope(fixture.reseller1.path(), () -> jdbc.sql("SELECT id FROM tenants").query(String.class).list());
        assertThat(tenants).containsExactlyInAnyOrder(fixture.reseller1.id(), fixture.client1.id());

        List<String> audit = inScope(fixture.reseller2.path(), () ->
                jdbc.sql("SELECT DISTINCT tenant_id FROM audit_log").query(String.class).list());
        assertThat(audit).doesNotContain(fixture.reseller1.id(), fixture.client1.id(), fixture.platform.id());
    }

    @Test
    void writesToAnotherTenantsRowsChangeNothingOrAreRefused() {
        int updated = inScope(fixture.client1.path(), () -> jdbc.sql("UPDATE users SET display_name = 'hijacked' WHERE id = :id")
                .param("id", fixture.client2User.userId()).update());
        assertThat(updated).isZero();

        assertThatThrownBy(() -> inScope(fixture.client1.path(), () -> jdbc.sql("""
                INSERT INTO users (id, tenant_id, email, display_name, role, status)
                VALUES ('usr_rlsprobe2222222222', :tenant, 'probe@example.test', 'probe', 'client', 'active')
                """).param("tenant", fixture.client2.id()).update()))
                .isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("row-level security");

        String name = inScope("*", () -> jdbc.sql("SELECT display_name FROM users WHERE id = :id")
                .param("id", fixture.client2User.userId()).query(String.class).single());
        assertThat(name).isNotEqualTo("hijacked");
    }

    @Test
    void withoutAScopeNothingIsVisible() {
        assertThat(jdbc.sql("SELECT count(*) FROM users").query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM tenants").query(Integer.class).single()).isZero();
        Integer inBareTransaction = transaction.execute(status -> jdbc.sql("SELECT count(*) FROM tenants").query(Integer.class).single());
        assertThat(inBareTransaction).isZero();
    }

    @Test
    void theApplicationRoleCannotRewriteTheAuditTrail() {
        assertThatThrownBy(() -> inScope("*", () -> jdbc.sql("UPDATE audit_log SET action = 'rewritten'").update()))
                .hasStackTraceContaining("permission denied");
        assertThatThrownBy(() -> inScope("*", () -> jdbc.sql("DELETE FROM audit_log").update()))
                .hasStackTraceContaining("permission denied");
        assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo("vip_app");
    }

    private <T> T inScope(String scope, java.util.function.Supplier<T> work) {
        java.util.function.Supplier<T> inTransaction = () -> transaction.execute(status -> work.get());
        return "*".equals(scope) ? TenantScope.callAsSystem(inTransaction) : TenantScope.callInSubtree(scope, inTransaction);
    }
}
