package io.vippanel.dns.internal.provider.route53;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProvider;
import io.vippanel.dns.internal.provider.DnsProviderFactory;
import io.vippanel.platform.VipProperties;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Connects to Amazon Route 53 with an access key pair.
 *
 * <p>Everything is passed explicitly (keys, region, an empty profile file), so no credential or region provider
 * chain runs: nothing is read from {@code ~/.aws}, the environment or the instance metadata service. One HTTP client
 * (Apache HttpClient 4, which keeps the body of 403 answers where AWS puts its error code, see ADR 0007) and one
 * call-timeout scheduler serve every account; the {@link Route53Client}s made on them hold no threads or sockets of
 * their own and need no closing. {@code vip.dns.route53-endpoint} sends the calls elsewhere (tests, AWS-compatible
 * services); unset, the SDK's global Route 53 endpoint is used.
 */
@Component
public class Route53DnsFactory implements DnsProviderFactory, AutoCloseable {

    private static final ProfileFile NO_PROFILE = ProfileFile.aggregator().build();

    private final VipProperties.Dns settings;
    private final SdkHttpClient http;
    private final ScheduledExecutorService timeouts = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("route53-call-timeout-", 0).daemon().factory());

    @Autowired
    public Route53DnsFactory(VipProperties properties) {
        this(properties.dns());
    }

    public Route53DnsFactory(VipProperties.Dns settings) {
        this.settings = settings;
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(settings.requestTimeout())
                .socketTimeout(settings.requestTimeout())
                .build();
    }

    @Override
    public DnsProviderKind kind() {
        return DnsProviderKind.ROUTE53;
    }

    @Override
    public DnsProvider connect(DnsCredentials credentials) {
        if (!(credentials instanceof DnsCredentials.Route53 keys)) {
            throw new IllegalArgumentException("Route 53 takes an access key pair.");
        }
        return connect(keys);
    }

    public DnsProvider connect(DnsCredentials.Route53 credentials) {
        return new Route53Dns(client(credentials), new Route53Errors(credentials.accessKeyId(),
                credentials.secretAccessKey()), settings.propagationTimeout(), settings.propagationInterval());
    }

    /** Closes the connection pool and timeout scheduler that every account's client shares. */
    @Override
    public void close() {
        timeouts.shutdownNow();
        http.close();
    }

    /**
     * Route 53 is a global service signed as us-east-1; the SDK resolves that region (as it does aws-global) to the
     * one global endpoint, and with an endpoint override, where the region is only the signing scope, us-east-1 is
     * what AWS-compatible services expect.
     */
    private Route53Client client(DnsCredentials.Route53 credentials) {
        var builder = Route53Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .httpClient(http)
                .overrideConfiguration(overrides());
        String endpoint = settings.route53Endpoint();
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * Each attempt may take {@code requestTimeout}, the whole call as long as all its attempts and the waits between
     * them. The SDK's standard strategy retries throttling (its list includes Throttling and PriorRequestNotComplete),
     * 5xx answers and connection failures, with exponential full-jitter backoff from {@code retryBase} up to
     * {@code maxRetryWait}.
     */
    private ClientOverrideConfiguration overrides() {
        int retries = Math.max(0, settings.maxRetries());
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(settings.retryBase(), settings.maxRetryWait());
        RetryStrategy retryStrategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retries + 1)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy)
                .apiCallAttemptTimeout(settings.requestTimeout())
                .apiCallTimeout(settings.requestTimeout().multipliedBy(retries + 1L)
                        .plus(settings.maxRetryWait().multipliedBy(retries)))
                .scheduledExecutorService(timeouts)
                .defaultProfileFileSupplier(() -> NO_PROFILE)
                .defaultProfileName("default")
                .build();
    }
}
