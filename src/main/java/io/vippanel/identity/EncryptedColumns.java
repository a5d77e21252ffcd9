package io.vippanel.identity;

import io.vippanel.platform.crypto.EncryptedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The identity columns that hold secrets, so that master-key rotation re-encrypts them. */
@Configuration(proxyBeanMethods = false)
class EncryptedColumns {

    @Bean
    EncryptedColumn totpSecretColumn() {
        return Accounts.TOTP_COLUMN;
    }
}
