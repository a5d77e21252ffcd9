package io.vippanel.platform.internal;

import io.vippanel.platform.LiveEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What both transports share: the envelope {@code {"t": topic, "d": payload}}, the subscriber table, dispatch. */
abstract class LiveEventsSupport implements LiveEvents {

    private static final Logger log = LoggerFactory.getLogger(LiveEventsSupport.class);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, List<Consumer<JsonNode>>> handlers = new ConcurrentHashMap<>();

    static String envelope(String topic, Map<String, ?> payload) {
        String message = JSON.writeValueAsString(Map.of("t", topic, "d", payload));
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("live event on [" + topic + "] is larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        return message;
    }

    /** Runs {@code send} after the current transaction commits, or now when there is none. */
    static void afterCommit(Runnable send) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send.run();
                }
            });
        } else {
            send.run();
        }
    }

    @Override
    public Subscription subscribe(String topic, Consumer<JsonNode> handler) {
        startListening();
        handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
        return () -> handlers.getOrDefault(topic, List.of()).remove(handler);
    }

    /** Starts the transport's listener on first subscription: command-line tasks never listen. */
    abstract void startListening();

    void dispatch(String message) {
        JsonNode event;
        try {
            event = JSON.readTree(message);
        } catch (RuntimeException e) {
            log.warn("ignored a live event that is not JSON");
            return;
        }
        for (Consumer<JsonNode> handler : handlers.getOrDefault(event.path("t").asString(""), List.of())) {
            try {
                handler.accept(event.path("d"));
            } catch (RuntimeException e) {
                log.warn("live event handler failed", e);
            }
        }
    }
}
