package io.vippanel.dns.internal.provider.powerdns;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderFactory;
import io.vippanel.platform.VipProperties;
import org.springframework.stereotype.Component;

/** PowerDNS API clients, one per account's credentials. */
@Component
class PowerDnsFactory implements DnsProviderFactory {

    private final VipProperties.Dns settings;

    PowerDnsFactory(VipProperties properties) {
        this.settings = properties.dns();
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.POWERDNS;
    }

    @Override
    public DnsProvider connect(DnsCredentials credentials) {
        if (!(credentials instanceof DnsCredentials.PowerDns powerDns)) {
            throw new IllegalArgumentException("PowerDNS takes an API address and key.");
        }
        return new PowerDnsProvider(powerDns, settings);
    }
}
