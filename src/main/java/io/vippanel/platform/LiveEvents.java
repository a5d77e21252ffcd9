package io.vippanel.platform;

import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Small events that every panel process hears (job progress for browsers on any API node, job cancellations
 * and wake-ups for workers). PostgreSQL LISTEN/NOTIFY carries them by default, Redis pub/sub when Redis is
 * configured. An event published inside a transaction leaves only when that transaction commits; a rolled-back
 * change announces nothing. Delivery is best effort: listeners that must not miss anything re-read the database.
 */
public interface LiveEvents {

    /** PostgreSQL refuses NOTIFY payloads from 8,000 bytes; events stay well below. */
    int MAX_PAYLOAD_BYTES = 7_500;

    /** Sends {@code payload} (JSON-serialisable values) to every subscriber of {@code topic} in every process. */
    void publish(String topic, Map<String, ?> payload);

    /** Calls {@code handler} for each event on {@code topic}, on a shared listener thread: handlers must be quick. */
    Subscription subscribe(String topic, Consumer<JsonNode> handler);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
