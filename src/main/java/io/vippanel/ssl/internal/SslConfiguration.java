package io.vippanel.ssl.internal;

import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.ssl.AcmeAccountSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SSL module's encrypted columns, so that master-key rotation re-encrypts them. */
@Configuration(proxyBeanMethods = false)
class SslConfiguration {

    @Bean
    EncryptedColumn acmeAccountKeyColumn() {
        return AcmeAccountSettings.ACCOUNT_KEY;
    }
}
