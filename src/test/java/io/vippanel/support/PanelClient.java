package io.vippanel.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A browser without JavaScript: keeps cookies, reads the CSRF token from pages and posts forms with it; or an
 * API client with a bearer token.
 */
public final class PanelClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient http;
    private final @Nullable String bearer;
    private final String clientIp;
    private @Nullable String csrf;

    private PanelClient(int port, @Nullable String bearer, String clientIp) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.bearer = bearer;
        this.clientIp = clientIp;
    }

    public static PanelClient browser(int port) {
        return new PanelClient(port, null, "127.0.0.1");
    }

    /** A browser that appears to come from the given address (through the trusted local proxy). */
    public static PanelClient browserFrom(int port, String clientIp) {
        return new PanelClient(port, null, clientIp);
    }

    public static PanelClient api(int port, String token) {
        return new PanelClient(port, token, "127.0.0.1");
    }

    /** Signs in with email and password (no 2FA); fails the test when it does not land on the dashboard. */
    public PanelClient login(String email, String password) {
        HttpResponse<String> response = loginAttempt(email, password);
        if (response.statusCode() != 302) {
            throw new AssertionError("login of " + email + " failed: " + response.statusCode() + " " + response.body());
        }
        refreshCsrf();
        return this;
    }

    public HttpResponse<String> loginAttempt(String email, String password) {
        refreshCsrf("/login");
        return postForm("/login", Map.of("email", email, "password", password));
    }

    public void refreshCsrf() {
        refreshCsrf("/profile");
    }

    /** Reads the CSRF token from a page that is public or that the user may open before sign-in ends. */
    public void refreshCsrfFrom(String page) {
        refreshCsrf(page);
    }

    private void refreshCsrf(String page) {
        useCsrfOf(get(page));
    }

    /** Takes the CSRF token from a page already fetched (for pages that change state when fetched again). */
    public void useCsrfOf(HttpResponse<String> page) {
        Matcher matcher = CSRF.matcher(page.body());
        if (matcher.find()) {
            csrf = matcher.group(1);
        }
    }

    /** The value of a cookie the panel set, if any. */
    public java.util.Optional<String> cookie(String name) {
        return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name)).map(java.net.HttpCookie::getValue).findFirst();
    }

    public HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    /** A GET with extra headers, e.g. {@code HX-Request} to get the fragment an HTMX request gets. */
    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).GET();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** Opens a live stream with this client's session, e.g. with a {@code Last-Event-ID} header; the caller closes it. */
    public EventStream openEvents(String path, Map<String, String> headers) {
        return EventStream.open(http, URI.create(base + path), headers);
    }

    public EventStream openEvents(String path) {
        return openEvents(path, Map.of());
    }

    public String base() {
        return base;
    }

    /**
     * Opens a live stream (Server-Sent Events) as a browser's EventSource would and returns its status, headers and
     * first chunk of events, then closes it: a stream never ends by itself, so reading it to the end would hang.
     * Any other answer (an error page) is read whole.
     */
    public HttpResponse<String> peekStream(String path) {
        HttpRequest request = request(path).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse.BodyHandler<String> handler = info -> info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                ? new FirstChunk() : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        try {
            return http.sendAsync(request, handler).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the stream " + path + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body as far as the first chunk the server sent; then the connection is dropped. */
    private static final class FirstChunk implements HttpResponse.BodySubscriber<String> {

        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.@Nullable Subscription subscription;

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> chunk) {
            StringBuilder text = new StringBuilder();
            chunk.forEach(buffer -> text.append(StandardCharsets.UTF_8.decode(buffer)));
            body.complete(text.toString());
            if (subscription != null) {
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete("");
        }
    }

    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        return postForm(path, fields, Map.of());
    }

    /** A form post with extra headers (e.g. {@code HX-Request}), with the CSRF token as {@link #postForm(String, Map)} adds it. */
    public HttpResponse<String> postForm(String path, Map<String, String> fields, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (csrf != null && bearer == null) {
            all.putIfAbsent("_csrf", csrf);
        }
        return postRawForm(path, all, headers);
    }

    /** Posts exactly these fields (no CSRF token is added). */
    public HttpResponse<String> postRawForm(String path, Map<String, String> fields) {
        return postRawForm(path, fields, Map.of());
    }

    private HttpResponse<String> postRawForm(String path, Map<String, String> fields, Map<String, String> headers) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** Posts a multipart form with one file part (and a browser's CSRF token), as a browser or {@code curl -F part=@file} would. */
    public HttpResponse<String> postFile(String path, String part, String fileName, byte[] content) {
        String boundary = "----vip" + java.util.UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        if (csrf != null && bearer == null) {
            // a browser's form carries the CSRF token as a field of its own, before the file
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder builder = request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return send(builder.build());
    }

    public HttpResponse<String> send(String method, String path, @Nullable String json) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json");
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(builder.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).header("X-Forwarded-For", clientIp);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
