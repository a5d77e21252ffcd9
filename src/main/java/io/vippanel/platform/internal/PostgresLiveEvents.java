package io.vippanel.platform.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Live events over PostgreSQL: {@code pg_notify} inside the publisher's transaction (PostgreSQL delivers it on
 * commit, drops it on rollback) and one dedicated LISTEN connection per process that reconnects after failures.
 */
class PostgresLiveEvents extends LiveEventsSupport implements AutoCloseable {

    static final String CHANNEL = "vip_live";
    private static final Logger log = LoggerFactory.getLogger(PostgresLiveEvents.class);

    private final JdbcClient jdbc;
    private final DatabaseConfiguration.Endpoint endpoint;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile @org.jspecify.annotations.Nullable Thread listener;

    PostgresLiveEvents(JdbcClient jdbc, DatabaseConfiguration.Endpoint endpoint) {
        this.jdbc = jdbc;
        this.endpoint = endpoint;
    }

    @Override
    public void publish(String topic, Map<String, ?> payload) {
        jdbc.sql("SELECT pg_notify(:channel, :message)").param("channel", CHANNEL).param("message", envelope(topic, payload))
                .query((rs, row) -> null).list();
    }

    @Override
    void startListening() {
        if (started.compareAndSet(false, true)) {
            listener = Thread.ofPlatform().daemon().name("vip-live-listen").start(this::listenUntilClosed);
        }
    }

    private void listenUntilClosed() {
        long backoffMillis = 250;
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(endpoint.url(), endpoint.user(), endpoint.password())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                backoffMillis = 250;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            dispatch(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                log.warn("live events: listening connection lost ({}); reconnecting in {} ms", e.getMessage(), backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        Thread thread = listener;
        if (thread != null) {
            thread.join(3_000);
        }
    }
}
