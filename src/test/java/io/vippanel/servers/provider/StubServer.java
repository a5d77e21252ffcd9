package io.vippanel.servers.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A provider API on 127.0.0.1 for tests: routes requests to handlers, checks the bearer token, records every
 * request, and can answer the next requests with injected faults (rate limits, outages) before routing. Public for
 * the stubs of other modules' providers (DNS).
 */
public final class StubServer implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** A request as the stub saw it; {@code body} is a missing node when there was none. */
    public record Request(String method, String path, Map<String, String> query, @Nullable String authorization,
                   JsonNode body, Map<String, String> groups) {

        public String group(String name) {
            return groups.get(name);
        }

        public int intQuery(String name, int otherwise) {
            String value = query.get(name);
            return value == null ? otherwise : Integer.parseInt(value);
        }
    }

    /** An answer: status, headers and a body (JSON unless a content type says otherwise). */
    public record Reply(int status, Map<String, String> headers, String body) {

        public static Reply json(int status, Object body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsString(body));
        }

        public static Reply noContent() {
            return new Reply(204, Map.of(), "");
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body);
        }
    }

    private record Route(String method, Pattern path, Function<Request, Reply> handler) {
    }

    private final HttpServer server;
    private final String basePath;
    private final String token;
    private final Supplier<Reply> unauthorized;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> faults = new ArrayDeque<>();

    /**
     * @param basePath     the API's path prefix ({@code /v1})
     * @param unauthorized the provider's 401 answer for a bad token
     */
    public StubServer(String basePath, String token, Supplier<Reply> unauthorized) {
        this.basePath = basePath;
        this.token = token;
        this.unauthorized = unauthorized;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    /** Adds a route; {@code pathRegex} is relative to the base path and may name groups ({@code (?<id>\\d+)}). */
    public StubServer on(String method, String pathRegex, Function<Request, Reply> handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    /** The next requests get these answers, in order, whatever they ask. */
    public synchronized void failNext(Reply... replies) {
        faults.addAll(List.of(replies));
    }

    /** Ends an injected outage: the faults not answered yet are dropped. */
    public synchronized void clearFaults() {
        faults.clear();
    }

    /** The next {@code times} requests get this answer. */
    public void failNext(int times, Reply reply) {
        for (int i = 0; i < times; i++) {
            failNext(reply);
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equals(method) && pattern.matcher(r.path()).matches()).toList();
    }

    public Request last(String method, String pathRegex) {
        List<Request> matching = requests(method, pathRegex);
        if (matching.isEmpty()) {
            throw new AssertionError("no " + method + " " + pathRegex + " in " + requests);
        }
        return matching.getLast();
    }

    /** The slice of a catalog that {@code page} (from 1) of {@code perPage} items holds. */
    public static <T> List<T> slice(List<T> all, int page, int perPage) {
        int from = Math.min(all.size(), (page - 1) * perPage);
        return all.subList(from, Math.min(all.size(), from + perPage));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(basePath.length());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? MissingNode.getInstance() : JSON.readTree(raw);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Request request = new Request(exchange.getRequestMethod(), path, query(exchange.getRequestURI().getRawQuery()),
                    authorization, body, Map.of());
            requests.add(request);
            Reply reply = answer(request);
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private Reply answer(Request request) {
        synchronized (this) {
            if (!faults.isEmpty()) {
                return faults.removeFirst();
            }
        }
        if (!("Bearer " + token).equals(request.authorization())) {
            return unauthorized.get();
        }
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(request.path());
            if (route.method().equals(request.method()) && matcher.matches()) {
                Map<String, String> groups = new LinkedHashMap<>();
                route.path().namedGroups().keySet().forEach(name -> groups.put(name, matcher.group(name)));
                return route.handler().apply(new Request(request.method(), request.path(), request.query(),
                        request.authorization(), request.body(), groups));
            }
        }
        return new Reply(404, Map.of("Content-Type", "text/plain"), "no stub route for " + request.method() + " "
                + request.path());
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(name, value);
            }
        }
        return query;
    }
}
