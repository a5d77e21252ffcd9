package io.vippanel.servers.internal.provider.aws;

import io.vippanel.platform.VipProperties;
import io.vippanel.servers.internal.provider.ProviderCredentials.AwsKeys;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
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
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 clients of one AWS account, one per region, made on first use and kept for the life of the provider.
 *
 * <p>Everything is passed explicitly (keys, region, an empty profile file), so no credential or region provider
 * chain runs: nothing is read from {@code ~/.aws}, the environment or the instance metadata service. Retries follow
 * {@code vip.providers.*}: the SDK's standard strategy (throttling codes such as {@code RequestLimitExceeded}, 5xx
 * and connection failures) with at most {@code maxRetries} retries, exponential full-jitter backoff from
 * {@code retryBase} up to {@code maxRetryWait}; each attempt may take {@code requestTimeout}.
 */
final class AwsClients {

    /** Region for account-wide calls when the account has no default region. */
    static final String FALLBACK_REGION = "us-east-1";

    private static final ProfileFile NO_PROFILE = ProfileFile.aggregator().build();

    private final VipProperties.Providers settings;
    private final AwsKeys keys;
    private final StaticCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final ScheduledExecutorService timeouts;
    private final Map<String, Ec2Client> ec2ByRegion = new ConcurrentHashMap<>();

    /**
     * @param http      the process-wide HTTP client (one connection pool for every account)
     * @param timeouts  the process-wide scheduler of the SDK's call timeouts
     *
     * <p>Both are shared so that the SDK clients made here hold no threads or sockets of their own and need no
     * closing; the SDK does not close what it is given.
     */
    AwsClients(VipProperties.Providers settings, AwsKeys keys, SdkHttpClient http, ScheduledExecutorService timeouts) {
        this.settings = settings;
        this.keys = keys;
        this.credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()));
        this.http = http;
        this.timeouts = timeouts;
    }

    /**
     * The HTTP client for all AWS calls: Apache HttpClient 4, which (unlike the JDK's URL connection) keeps the body
     * of 401 answers, where AWS puts its error code.
     */
    static SdkHttpClient newHttpClient(VipProperties.Providers settings) {
        return ApacheHttpClient.builder()
                .connectionTimeout(settings.requestTimeout())
                .socketTimeout(settings.requestTimeout())
                .build();
    }

    /** The region of account-wide calls and of the catalog: the account's default region, else us-east-1. */
    String defaultRegion() {
        String region = keys.defaultRegion();
        return region == null || region.isBlank() ? FALLBACK_REGION : region;
    }

    Ec2Client ec2() {
        return ec2(defaultRegion());
    }

    Ec2Client ec2(String region) {
        return ec2ByRegion.computeIfAbsent(region, this::newEc2);
    }

    SdkHttpClient http() {
        return http;
    }

    StaticCredentialsProvider credentials() {
        return credentials;
    }

    AwsErrors errors() {
        return new AwsErrors(keys.accessKeyId(), keys.secretAccessKey());
    }

    VipProperties.Providers settings() {
        return settings;
    }

    private Ec2Client newEc2(String region) {
        var builder = Ec2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .dualstackEnabled(false)
                .fipsEnabled(false)
                .overrideConfiguration(overrides());
        String endpoint = settings.awsEndpoint();
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** Each attempt may take {@code requestTimeout}; the whole call, every attempt and the waits between them. */
    private ClientOverrideConfiguration overrides() {
        int retries = Math.max(0, settings.maxRetries());
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retryStrategy())
                .apiCallAttemptTimeout(settings.requestTimeout())
                .apiCallTimeout(settings.requestTimeout().multipliedBy(retries + 1L)
                        .plus(settings.maxRetryWait().multipliedBy(retries)))
                .scheduledExecutorService(timeouts)
                .defaultProfileFileSupplier(() -> NO_PROFILE)
                .defaultProfileName("default")
                .build();
    }

    private RetryStrategy retryStrategy() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(settings.retryBase(), settings.maxRetryWait());
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(Math.max(0, settings.maxRetries()) + 1)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
    }
}
