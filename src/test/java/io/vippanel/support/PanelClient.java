package io.vippanel.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
