package io.vippanel.tenancy;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs work that must see every tenant (login, token checks) in its own transaction with the system scope. */
@Component
public class SystemTransactions {

    private final TransactionTemplate template;

    public SystemTransactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
    }

    public <T> T call(Supplier<T> work) {
        return TenantScope.callAsSystem(() -> template.execute(status -> work.get()));
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
