package io.vippanel.platform;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

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
            // Liquibase writes progress to standard output by default; commands such as create-token print only their result.
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> {
                try (Liquibase engine = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database)) {
                    engine.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                    task.accept(engine);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("migration failed: " + e.getMessage(), e);
        }
    }
}
