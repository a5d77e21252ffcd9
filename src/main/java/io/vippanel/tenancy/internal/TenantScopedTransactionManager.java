package io.vippanel.tenancy.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Hands the thread's tenant scope to PostgreSQL at the start of every transaction ({@code set_config(..., true)}
 * lasts only for that transaction), where the row-level security policies read it.
 */
public class TenantScopedTransactionManager extends JdbcTransactionManager {

    private final ScopeSource scopeSource;

    public TenantScopedTransactionManager(DataSource dataSource, ScopeSource scopeSource) {
        super(dataSource);
        this.scopeSource = scopeSource;
    }

    public interface ScopeSource {
        String currentScope();
    }

    @Override
    protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition) throws SQLException {
        super.prepareTransactionalConnection(con, definition);
        try (PreparedStatement statement = con.prepareStatement("SELECT set_config('vip.scope', ?, true)")) {
            statement.setString(1, scopeSource.currentScope());
            statement.execute();
        }
    }
}
