package io.vippanel.servers.internal.provider;

import io.vippanel.servers.ProviderKind;

/** Makes the API client of one provider; one Spring bean per cloud provider. */
public interface CloudProviderFactory {

    ProviderKind kind();

    /**
     * @throws IllegalArgumentException when the credentials are not of the kind this provider takes
     */
    CloudProvider connect(ProviderCredentials credentials);
}
