package io.vippanel.automation.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/** Reads a child's output stream line by line on a virtual thread, so output reaches the listener as it is written. */
public final class LinePump {

    private LinePump() {
    }

    /** Starts reading; the thread ends when the stream does (the process or channel closed it). */
    public static Thread start(InputStream stream, Consumer<String> lines, String name) {
        return Thread.ofVirtual().name(name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException closed) {
                // the other end is gone; nothing more will come
            }
        });
    }

    /** Waits a bounded time for a reader to finish, so a stuck stream cannot hang a run. */
    public static void await(Thread reader, Duration limit) {
        try {
            reader.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
