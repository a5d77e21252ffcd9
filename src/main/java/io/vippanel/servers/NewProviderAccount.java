package io.vippanel.servers;

import org.jspecify.annotations.Nullable;

/**
 * A provider account as entered: raw text, validated by {@link ProviderAccounts#create}. Token for Hetzner,
 * DigitalOcean and Vultr; access key pair and default region for AWS.
 */
public record NewProviderAccount(@Nullable String kind, @Nullable String name, @Nullable String token,
                                 @Nullable String accessKeyId, @Nullable String secretAccessKey,
                                 @Nullable String defaultRegion, boolean shared) {

    @Override
    public String toString() {
        return "NewProviderAccount[" + kind + ", " + name + ", shared=" + shared + "]";
    }
}
