package io.vippanel.dns.internal;

import io.vippanel.dns.DnsAccounts;
import io.vippanel.platform.crypto.EncryptedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DNS module's encrypted columns, so that master-key rotation re-encrypts them. */
@Configuration(proxyBeanMethods = false)
class DnsConfiguration {

    @Bean
    EncryptedColumn dnsCredentialsColumn() {
        return DnsAccounts.CREDENTIALS_COLUMN;
    }
}
