package io.vippanel.platform.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The embedded PostgreSQL of the default setup, or none when a real server is configured. */
record EmbeddedDatabase(@Nullable EmbeddedPostgres postgres) implements AutoCloseable {

    static EmbeddedDatabase none() {
        return new EmbeddedDatabase(null);
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
