package io.vippanel.tenancy;

import io.vippanel.tenancy.internal.TenantScopedTransactionManager;
import org.springframework.stereotype.Component;

/** Lets the transaction manager read the scope without making the scope's setter public. */
@Component
class ScopeBridge implements TenantScopedTransactionManager.ScopeSource {

    @Override
    public String currentScope() {
        return TenantScope.currentValue();
    }
}
