package io.vippanel.platform;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Token buckets per key (an IP, an account, an API token): in Redis when configured, so every API node counts
 * together, else in this process.
 */
@Component
public class RateLimiter implements AutoCloseable {

    private static final int LOCAL_KEYS = 100_000;

    private final String keyPrefix;
    private final @Nullable RedisClient redis;
    private final @Nullable StatefulRedisConnection<String, byte[]> connection;
    private final @Nullable ProxyManager<String> proxyManager;
    private final Map<String, Bucket> local = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > LOCAL_KEYS;
        }
    };

    public RateLimiter(VipProperties properties) {
        this.keyPrefix = properties.redis().keyPrefix() + "rl:";
        if (properties.redis().configured()) {
            redis = RedisClient.create(properties.redis().url());
            connection = redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
                    .build();
        } else {
            redis = null;
            connection = null;
            proxyManager = null;
        }
    }

    /** Takes one token; empty when allowed, else how long to wait before the next try. */
    public Optional<Duration> tryAcquire(String key, int perMinute) {
        ConsumptionProbe probe = bucket(key, perMinute).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private Bucket bucket(String key, int perMinute) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build();
        String fullKey = keyPrefix + key + ":" + perMinute;
        if (proxyManager != null) {
            return proxyManager.getProxy(fullKey, () -> configuration);
        }
        synchronized (local) {
            return local.computeIfAbsent(fullKey, k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (redis != null) {
            redis.shutdown();
        }
    }

}
