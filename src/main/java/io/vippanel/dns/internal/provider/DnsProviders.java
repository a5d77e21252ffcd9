package io.vippanel.dns.internal.provider;

import io.vippanel.dns.DnsProviderKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The API clients of every DNS provider the panel knows, by kind. */
@Component
public class DnsProviders {

    private final Map<DnsProviderKind, DnsProviderFactory> factories = new EnumMap<>(DnsProviderKind.class);

    public DnsProviders(List<DnsProviderFactory> factories) {
        for (DnsProviderFactory factory : factories) {
            if (this.factories.put(factory.kind(), factory) != null) {
                throw new IllegalStateException("Two API clients for " + factory.kind());
            }
        }
    }

    public DnsProvider connect(DnsProviderKind kind, DnsCredentials credentials) {
        DnsProviderFactory factory = factories.get(kind);
        if (factory == null) {
            throw new IllegalStateException("No API client for " + kind.displayName());
        }
        return factory.connect(credentials);
    }
}
