package io.vippanel.servers.internal.provider;

import org.jspecify.annotations.Nullable;

/** Decrypted credentials of a provider account, held only while a request or job needs them. */
public sealed interface ProviderCredentials {

    /** Hetzner Cloud, DigitalOcean and Vultr: one bearer API token. */
    record ApiToken(String token) implements ProviderCredentials {
        public ApiToken {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("The API token is empty.");
            }
        }

        @Override
        public String toString() {
            return "ApiToken[********]";
        }
    }

    /**
     * AWS: an access key pair (an IAM user with EC2 rights and {@code pricing:GetProducts}).
     *
     * @param defaultRegion the region used for account-wide calls (e.g. {@code eu-central-1}); VMs are made in the
     *                      region chosen for each server
     */
    record AwsKeys(String accessKeyId, String secretAccessKey, @Nullable String defaultRegion) implements ProviderCredentials {
        public AwsKeys {
            if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
                throw new IllegalArgumentException("Both the AWS access key id and the secret access key are needed.");
            }
        }

        @Override
        public String toString() {
            return "AwsKeys[" + accessKeyId + ", ********]";
        }
    }
}
