package io.vippanel.servers.internal.provider;

import io.vippanel.servers.ProviderKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The API clients of every cloud provider the panel knows, by kind. */
@Component
public class CloudProviders {

    private final Map<ProviderKind, CloudProviderFactory> factories = new EnumMap<>(ProviderKind.class);

    public CloudProviders(List<CloudProviderFactory> factories) {
        for (CloudProviderFactory factory : factories) {
            if (this.factories.put(factory.kind(), factory) != null) {
                throw new IllegalStateException("Two API clients for " + factory.kind());
            }
        }
    }

    /**
     * @throws IllegalArgumentException for {@link ProviderKind#CUSTOM} (no API) or credentials of the wrong kind
     * @throws ProviderException        (unavailable) for a cloud provider whose API client this build lacks, so that
     *                                  pages show N/A with the reason rather than fail
     */
    public CloudProvider connect(ProviderKind kind, ProviderCredentials credentials) {
        CloudProviderFactory factory = factories.get(kind);
        if (factory == null && kind.isCloud()) {
            throw new ProviderException(kind, ProviderException.Reason.UNAVAILABLE, 0, null,
                    "this panel has no API client for the provider", null, null);
        }
        if (factory == null) {
            throw new IllegalArgumentException(kind.displayName() + " has no provider API.");
        }
        return factory.connect(credentials);
    }
}
