package io.vippanel.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.FileSystemUtils;

class MigrationRoundTripTests {

    @Test
    void appliesAllRollsAllBackAndAppliesAllAgain() throws Exception {
        String url = TestDatabase.create("migrations");
        Migrations migrations = new Migrations(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));

        migrations.update();
        List<String> tablesAfterFirst = tables(url);
        assertThat(tablesAfterFirst).contains("tenants", "users", "api_tokens", "user_sessions", "audit_log");
        int changesets = changesetCount(url);

        migrations.rollback(changesets);
        assertThat(tables(url)).containsOnly("databasechangelog", "databasechangeloglock");
        assertThat(changesetCount(url)).isZero();

        migrations.update();
        assertThat(tables(url)).containsExactlyInAnyOrderElementsOf(tablesAfterFirst);
        assertThat(changesetCount(url)).isEqualTo(changesets);
    }

    /**
     * The quick start runs on the embedded PostgreSQL, a newer major than the machine's (words such as SYSTEM_USER are
     * keywords there): every migration must apply on it too.
     */
    @Test
    void appliesOnTheEmbeddedPostgresTheQuickStartUses() throws Exception {
        Path data = Files.createTempDirectory("vip-embedded-migrations");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            new Migrations(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", "")).update();
            assertThat(tables(url)).contains("sites", "certificates", "dns_zones");
        } finally {
            FileSystemUtils.deleteRecursively(data);
        }
    }

    @Test
    void everyMigrationFileIsInTheChangelogAndCarriesARollback() throws IOException {
        String changelog = Files.readString(Path.of("src/main/resources/db/changelog.yaml"), StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(Path.of("migrations"))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                assertThat(name).matches("\\d{3}_[a-z0-9_]+\\.sql");
                assertThat(changelog).as("changelog lists " + name).contains("db/migrations/" + name);
                String sql = Files.readString(file, StandardCharsets.UTF_8);
                long changesets = sql.lines().filter(line -> line.startsWith("--changeset")).count();
                assertThat(java.util.Arrays.stream(sql.split("--changeset")).skip(1).toList())
                        .as(name + ": every changeset has a rollback")
                        .allSatisfy(part -> assertThat(part).contains("--rollback"));
                assertThat(changesets).isPositive();
            }
        }
    }

    private static List<String> tables(String url) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = TestDatabase.superuser(url);
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static int changesetCount(String url) throws SQLException {
        try (Connection connection = TestDatabase.superuser(url);
             ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM databasechangelog")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
