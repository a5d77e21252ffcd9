package io.vippanel.servers.internal.provider.aws;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.CloudProviderFactory;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Connects to AWS EC2 with an access key pair.
 *
 * <p>{@code vip.providers.aws-endpoint} sends the EC2 calls of every region to one endpoint and
 * {@code vip.providers.aws-pricing-endpoint} the Price List calls (both for tests and AWS-compatible clouds); unset,
 * the real AWS endpoints are used.
 */
@Component
public class AwsCloudFactory implements CloudProviderFactory, AutoCloseable {

    private final VipProperties.Providers settings;
    private final SdkHttpClient http;
    private final ScheduledExecutorService timeouts = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("aws-call-timeout-", 0).daemon().factory());

    @Autowired
    public AwsCloudFactory(VipProperties properties) {
        this(properties.providers());
    }

    public AwsCloudFactory(VipProperties.Providers settings) {
        this.settings = settings;
        this.http = AwsClients.newHttpClient(settings);
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
        return new AwsCloud(new AwsClients(settings, keys, http, timeouts));
    }

    /** Closes the connection pool and timeout scheduler that every AWS account's client shares. */
    @Override
    public void close() {
        timeouts.shutdownNow();
        http.close();
    }
}
