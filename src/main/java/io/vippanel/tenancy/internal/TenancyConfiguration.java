package io.vippanel.tenancy.internal;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class TenancyConfiguration {

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource, TenantScopedTransactionManager.ScopeSource scopeSource) {
        return new TenantScopedTransactionManager(dataSource, scopeSource);
    }
}
