package io.vippanel.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh databases on the machine's PostgreSQL (127.0.0.1:5432, user postgres) for tests; dropped when the
 * JVM exits.
 */
public final class TestDatabase {

    public static final String HOST = System.getProperty("vip.test.postgres", "127.0.0.1:5432");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid()) + "_" + Long.toString(System.currentTimeMillis() % 100_000);

    private TestDatabase() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String create(String purpose) {
        String name = "vip_test_" + purpose + "_" + RUN + "_" + COUNTER.incrementAndGet();
        admin("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException ignored) {
                // the database server may already be gone at shutdown; the name is unique per run anyway
            }
        }));
        return "jdbc:postgresql://" + HOST + "/" + name;
    }

    /** A superuser connection, for what the application itself must not be able to do. */
    public static Connection superuser(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test database (" + sql + "): " + e.getMessage(), e);
        }
    }
}
