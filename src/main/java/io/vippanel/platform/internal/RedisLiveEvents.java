package io.vippanel.platform.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live events over Redis pub/sub, sent once the publisher's transaction has committed. Lettuce reconnects and
 * re-subscribes by itself after a dropped connection.
 */
class RedisLiveEvents extends LiveEventsSupport implements AutoCloseable {

    private final RedisClient client;
    private final String channel;
    private final StatefulRedisConnection<String, String> publisher;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile @org.jspecify.annotations.Nullable StatefulRedisPubSubConnection<String, String> subscriber;

    RedisLiveEvents(String url, String keyPrefix) {
        this.client = RedisClient.create(url);
        this.channel = keyPrefix + "live";
        this.publisher = client.connect();
    }

    @Override
    public void publish(String topic, Map<String, ?> payload) {
        String message = envelope(topic, payload);
        afterCommit(() -> publisher.async().publish(channel, message));
    }

    @Override
    void startListening() {
        if (started.compareAndSet(false, true)) {
            StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    dispatch(message);
                }
            });
            connection.sync().subscribe(channel);
            subscriber = connection;
        }
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<String, String> connection = subscriber;
        if (connection != null) {
            connection.close();
        }
        publisher.close();
        client.shutdown();
    }
}
