package io.vippanel.servers.internal.provider.aws;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviderFactory;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Connects to AWS EC2 with an access key pair.
 *
 * <p>{@code vip.providers.aws-endpoint} sends the EC2 calls of every region to one endpoint and
 * {@code vip.providers.aws-pricing-endpoint} the Price List calls (both for tests and AWS-compatible clouds); unset,
 * the real AWS endpoints are used.
 */
@Component
public class AwsCloudFactory implements CloudProviderFactory {

    private final VipProperties.Providers settings;

    @Autowired
    public AwsCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public AwsCloudFactory(VipProperties.Providers settings) {
        this.settings = settings;
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.AWS;
    }

    @Override
    public CloudProvider connect(ProviderCredentials credentials) {
        if (!(credentials instanceof ProviderCredentials.AwsKeys keys)) {
            throw new IllegalArgumentException("AWS takes an access key pair, not " + credentials.getClass().getSimpleName());
        }
        return new AwsCloud(new AwsClients(settings, keys));
    }
}
