package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.TestManagedServer;
import io.vippanel.support.TestManagedServer.PanelKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * provision-server.yml with {@code database: postgresql}. Safe on a machine that runs its own PostgreSQL: the test
 * host has private /etc/postgresql (emptied: no cluster of the machine's), /var/lib/postgresql (empty), /run
 * (/run/postgresql) and its own network (port 5432 there is not the machine's), so the playbook creates and starts a
 * cluster of its own.
 */
class PostgresProvisioningPlaybookTests {

    private static TestManagedServer server;

    @BeforeAll
    static void startServer() throws Exception {
        TestManagedServer.assumeUsable();
        TestSshHost.assumeUsable(true);
        server = TestManagedServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            assertThat(server.leftovers()).as("what the test host left on the machine").isEmpty();
        }
    }

    @Test
    void provisioningWithPostgresqlCreatesAClusterWhosePostgresRoleHasThePassword() throws Exception {
        PanelKey key = TestManagedServer.newPanelKey("panel@test");
        server.installAuthorizedKey(key.publicKey());
        String php = ProvisioningPlaybookTests.distroPhpVersion();
        PlaybookRunner runner = new PlaybookRunner(Path.of("automation"), "ansible-playbook", Duration.ofMinutes(10), Duration.ofSeconds(10));
        RunWatcher watcher = new RunWatcher(Path.of("automation"), "provision-server.yml");
        long start = System.nanoTime();

        PlaybookResult result = runner.run(new PlaybookRun("provision-server.yml",
                new ManagedHost(server.address(), server.port(), "root", server.hostKeyLine() + "\n"), key.privateKey(),
                ProvisioningPlaybookTests.provisionVars(server, key, php, "postgresql", false), Set.of("database_root_password"),
                Duration.ofMinutes(8)), watcher);
        System.out.printf("[timing] provision-server.yml with PostgreSQL %6d ms%n", (System.nanoTime() - start) / 1_000_000);

        assertThat(result.outcome()).as(watcher.text()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outputs()).containsEntry("database", "postgresql");
        assertThat(String.valueOf(result.outputs().get("database_version"))).matches("[0-9]+\\.[0-9]+.*");
        assertThat(result.outputs().get("services").toString()).contains("postgresql=active");
        // from outside the playbook: the admin account logs in over SSH and uses the password over TCP
        CommandResult query = new SshCommandRunner(Duration.ofSeconds(5)).run(
                new ManagedHost(server.address(), server.port(), ProvisioningPlaybookTests.ADMIN, server.hostKeyLine() + "\n"),
                key.privateKey(), "PGPASSWORD='" + ProvisioningPlaybookTests.DB_PASSWORD + "' psql -h 127.0.0.1 -U postgres -tAc 'SELECT 6*7'",
                Duration.ofSeconds(30), RunListener.NONE);
        assertThat(query.stdout().strip()).as(query.stderr()).isEqualTo("42");
        assertThat(server.exec("pg_lsclusters --no-header").output()).contains("main", "online", "/var/lib/postgresql/");
    }
}
