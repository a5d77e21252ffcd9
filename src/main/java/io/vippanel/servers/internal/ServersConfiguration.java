package io.vippanel.servers.internal;

import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.servers.ProviderAccounts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The servers module's encrypted columns, so that master-key rotation re-encrypts them. */
@Configuration(proxyBeanMethods = false)
class ServersConfiguration {

    @Bean
    EncryptedColumn providerCredentialsColumn() {
        return ProviderAccounts.CREDENTIALS_COLUMN;
    }

    @Bean
    EncryptedColumn panelPrivateKeyColumn() {
        return ServerSecrets.PANEL_KEY;
    }

    @Bean
    EncryptedColumn retiredPrivateKeyColumn() {
        return ServerSecrets.RETIRED_KEY;
    }

    @Bean
    EncryptedColumn bootstrapSecretColumn() {
        return ServerSecrets.BOOTSTRAP;
    }

    @Bean
    EncryptedColumn databaseRootPasswordColumn() {
        return ServerSecrets.DATABASE_ROOT;
    }
}
