package io.vippanel.support;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A Server-Sent Events client for tests, reading a stream as a browser's EventSource does: it parses {@code id:},
 * {@code event:} and {@code data:} fields, ignores comments, and dispatches an event at each blank line. Events are
 * collected on a background thread; every wait is bounded, and {@link #close()} drops the connection.
 */
public final class EventStream implements AutoCloseable {

    /**
     * One event. {@code id} is the id field sent with this event only (EventSource would carry the last one forward;
     * here a status event without an id shows as null), {@code name} defaults to "message" as in the specification.
     */
    public record Event(@Nullable String id, String name, String data, Instant receivedAt) {
    }

    /** For streams that carry their session cookie in a header of their own. */
    private static final HttpClient COOKIELESS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> incoming = new LinkedBlockingQueue<>();
    private final List<Event> received = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile @Nullable Throwable failure;

    private EventStream(HttpResponse<Stream<String>> response, String label) {
        this.response = response;
        this.reader = Thread.ofPlatform().daemon().name("sse-test-" + label).start(this::read);
    }

    /** Opens {@code uri} with the given extra headers; returns once the status and headers have arrived. */
    public static EventStream open(HttpClient http, URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).get(15, TimeUnit.SECONDS);
            return new EventStream(response, uri.getPath());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not open the event stream " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        Event event = new Event(id, name == null ? "message" : name, data.toString(), Instant.now());
                        received.add(event);
                        incoming.add(event);
                    }
                    id = null;
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                        // "retry" and unknown fields do not matter to these tests
                    }
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // The stream was closed by the test or ended by the server.
            failure = e;
        }
    }

    /** The next event matching {@code wanted} among those not yet taken, waiting at most {@code timeout}. */
    public Event await(Predicate<Event> wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            Event next;
            try {
                next = left <= 0 ? null : incoming.poll(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (next == null) {
                throw new AssertionError("no matching event within " + timeout + "; received " + received
                        + (failure == null ? "" : "; the stream failed: " + failure));
            }
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    /** Every event received so far, in order (including those taken by {@link #await}). */
    public List<Event> received() {
        return new ArrayList<>(received);
    }

    /** Every event received so far with the given name, in order. */
    public List<Event> received(String name) {
        return received.stream().filter(event -> event.name().equals(name)).toList();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
        reader.interrupt();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens a stream on {@code base} (e.g. http://127.0.0.1:8080) with a session cookie copied from a signed-in client. */
    public static EventStream withCookie(String base, String path, String cookie, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Cookie", cookie);
        return open(COOKIELESS, URI.create(base + path), all);
    }
}
