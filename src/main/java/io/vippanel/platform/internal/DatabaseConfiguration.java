package io.vippanel.platform.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vippanel.platform.Migrations;
import io.vippanel.platform.VipProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Two ways into one PostgreSQL: the schema owner (migrations only) and the application role {@code vip_app},
 * which owns nothing and so never bypasses row-level security.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    static final String APP_ROLE = "vip_app";
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    record Endpoint(String url, String user, String password) {
    }

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(VipProperties properties) throws IOException {
        if (!properties.database().embedded()) {
            return EmbeddedDatabase.none();
        }
        Path dir = Path.of(properties.dataDir(), "postgres").toAbsolutePath();
        Files.createDirectories(dir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .start();
        log.info("embedded PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dir);
        return new EmbeddedDatabase(postgres);
    }

    @Bean
    Endpoint databaseEndpoint(VipProperties properties, EmbeddedDatabase embedded) {
        if (embedded.postgres() != null) {
            return new Endpoint(embedded.postgres().getJdbcUrl("postgres", "postgres"), "postgres", "");
        }
        VipProperties.Database db = properties.database();
        return new Endpoint(db.url(), db.user() == null ? "" : db.user(), db.password() == null ? "" : db.password());
    }

    @Bean
    @Qualifier("owner")
    DataSource ownerDataSource(Endpoint endpoint) throws ClassNotFoundException {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
        dataSource.setDriverClass(org.postgresql.Driver.class);
        dataSource.setUrl(endpoint.url());
        dataSource.setUsername(endpoint.user());
        dataSource.setPassword(endpoint.password());
        return dataSource;
    }

    @Bean
    Migrations migrations(@Qualifier("owner") DataSource ownerDataSource, VipProperties properties) {
        Migrations migrations = new Migrations(ownerDataSource);
        if (properties.database().migrateOnStart() && !properties.isCli()) {
            migrations.update();
        }
        return migrations;
    }

    @Bean(destroyMethod = "close")
    @Primary
    DataSource dataSource(Endpoint endpoint, VipProperties properties, Migrations migrationsFirst) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("vip-app");
        config.setJdbcUrl(endpoint.url());
        config.setUsername(endpoint.user());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(properties.database().poolSize());
        config.setConnectionInitSql("SET ROLE " + APP_ROLE);
        // CLI tasks such as "migrate" must start before the role exists.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
