package io.vippanel.dns.internal.provider.cloudflare;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderFactory;
import io.vippanel.platform.VipProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Cloudflare API clients; one HTTP client serves every account. */
@Component
class CloudflareDnsFactory implements DnsProviderFactory {

    private final VipProperties.Dns settings;
    private final RestClient http;

    CloudflareDnsFactory(VipProperties properties) {
        this.settings = properties.dns();
        this.http = CloudflareDns.restClient(settings);
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.CLOUDFLARE;
    }

    @Override
    public DnsProvider connect(DnsCredentials credentials) {
        if (!(credentials instanceof DnsCredentials.Cloudflare token)) {
            throw new IllegalArgumentException("Cloudflare takes an API token.");
        }
        return new CloudflareDns(http, settings, token);
    }
}
