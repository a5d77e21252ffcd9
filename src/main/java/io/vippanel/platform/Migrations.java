package io.vippanel.platform;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Applies and rolls back the Liquibase changesets under {@code migrations/} with the schema owner's connection.
 */
public final class Migrations {

    static final String CHANGELOG = "db/changelog.yaml";

    private final DataSource ownerDataSource;

    public Migrations(DataSource ownerDataSource) {
        this.ownerDataSource = ownerDataSource;
    }

    public void update() {
        run(liquibase -> liquibase.update());
    }

    public void rollback(int count) {
        run(liquibase -> liquibase.rollback(count, null));
    }

    private interface LiquibaseTask {
        void accept(Liquibase liquibase) throws LiquibaseException;
    }

    private void run(LiquibaseTask task) {
        try (Connection connection = ownerDataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
                task.accept(liquibase);
            }
        } catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("migration failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("migration failed: " + e.getMessage(), e);
        }
    }
}
