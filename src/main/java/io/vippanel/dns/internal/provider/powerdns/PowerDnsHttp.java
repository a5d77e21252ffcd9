package io.vippanel.dns.internal.provider.powerdns;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsCredentials;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsJson.ErrorBody;
import io.vippanel.platform.ApiHttp;
import io.vippanel.platform.VipProperties;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * One PowerDNS server's API: JSON under {@code {apiUrl}/api/v1/servers/{serverId}} with the {@code X-API-Key}
 * header, error answers turned into {@link DnsProviderException}s in PowerDNS's words, outages retried with capped
 * backoff as {@code vip.dns.*} allows.
 *
 * <p>A {@code POST} (a new zone, a new key) is retried only when PowerDNS cannot have acted on it (connection
 * refused, 429, 502/503/504), so a retry never makes a second key. Everything else the panel sends is idempotent:
 * a PATCH replaces or deletes whole RRsets. The key goes into the header only; messages are scrubbed of it too.
 */
final class PowerDnsHttp {

    private static final Logger log = LoggerFactory.getLogger(PowerDnsHttp.class);
    private static final DnsProviderKind POWERDNS = DnsProviderKind.POWERDNS;
    private static final int MAX_ERROR_TEXT = 300;
    private static final Set<Integer> NOT_ACTED_ON = Set.of(429, 502, 503, 504);

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final RestClient client;
    private final String apiUrl;
    private final String serverId;
    private final String apiKey;
    private final VipProperties.Dns settings;

    PowerDnsHttp(DnsCredentials.PowerDns credentials, VipProperties.Dns settings) {
        this.client = ApiHttp.restClient(settings.requestTimeout());
        this.apiUrl = credentials.apiUrl().replaceAll("/+$", "");
        this.serverId = credentials.serverId();
        this.apiKey = credentials.apiKey();
        this.settings = settings;
    }

    /**
     * {@code GET} of {@code path} under the server, read into {@code type}.
     *
     * @param path      relative to {@code /api/v1/servers/{serverId}}, with {@code {}} placeholders for {@code variables}
     * @param variables encoded as one path segment or query value each
     */
    <T> T get(Class<T> type, String path, Object... variables) {
        return read(send(HttpMethod.GET, uri(path, variables), null), type);
    }

    <T> T post(Class<T> type, Object body, String path, Object... variables) {
        return read(send(HttpMethod.POST, uri(path, variables), body), type);
    }

    void patch(Object body, String path, Object... variables) {
        send(HttpMethod.PATCH, uri(path, variables), body);
    }

    void put(String path, Object... variables) {
        send(HttpMethod.PUT, uri(path, variables), null);
    }

    /** {@code DELETE}; a 404 answer is taken as already deleted. */
    void deleteIfPresent(String path, Object... variables) {
        try {
            send(HttpMethod.DELETE, uri(path, variables), null);
        } catch (DnsProviderException e) {
            if (e.reason() != Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    private URI uri(String path, Object... variables) {
        Object[] serverAndVariables = new Object[variables.length + 1];
        serverAndVariables[0] = serverId;
        System.arraycopy(variables, 0, serverAndVariables, 1, variables.length);
        return UriComponentsBuilder.fromUriString(apiUrl + "/api/v1/servers/{server}" + path)
                .encode()
                .buildAndExpand(serverAndVariables)
                .toUri();
    }

    private Answer send(HttpMethod method, URI uri, @Nullable Object body) {
        byte @Nullable [] content = body == null ? null : JSON.writeValueAsBytes(body);
        for (int retry = 0; ; retry++) {
            Answer answer;
            try {
                answer = exchange(method, uri, content);
            } catch (ResourceAccessException e) {
                boolean notActedOn = e.getCause() instanceof ConnectException;
                if (retry >= settings.maxRetries() || (method == HttpMethod.POST && !notActedOn)) {
                    throw new DnsProviderException(POWERDNS, Reason.UNAVAILABLE, 0,
                            List.of(scrub("no answer from " + uri.getAuthority() + " to " + method + " " + uri.getPath()
                                    + ": " + transportFailure(e) + afterRetries(retry))), e);
                }
                pause(method, uri, transportFailure(e), retry);
                continue;
            }
            int status = answer.status();
            if (status < 400) {
                return answer;
            }
            boolean retryable = NOT_ACTED_ON.contains(status) || (status >= 500 && method != HttpMethod.POST);
            if (!retryable || retry >= settings.maxRetries()) {
                throw failure(method, uri, answer, retry);
            }
            pause(method, uri, "HTTP " + status, retry);
        }
    }

    private Answer exchange(HttpMethod method, URI uri, byte @Nullable [] content) {
        RestClient.RequestBodySpec request = client.method(method)
                .uri(uri)
                .headers(headers -> {
                    headers.set("X-API-Key", apiKey);
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                });
        if (content != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(content);
        }
        return request.exchangeForRequiredValue((req, response) -> new Answer(response.getStatusCode().value(),
                response.getHeaders().getContentType(), response.getBody().readAllBytes()), true);
    }

    private <T> T read(Answer answer, Class<T> type) {
        try {
            return JSON.readValue(answer.body(), type);
        } catch (JacksonException e) {
            throw new DnsProviderException(POWERDNS, Reason.UNAVAILABLE, answer.status(),
                    List.of("the answer is not the JSON the API documents: " + scrub(e.getOriginalMessage())), e);
        }
    }

    private DnsProviderException failure(HttpMethod method, URI uri, Answer answer, int retries) {
        int status = answer.status();
        Reason reason = switch (status) {
            case 401, 403 -> Reason.CREDENTIALS;
            case 404 -> Reason.NOT_FOUND;
            case 409 -> Reason.CONFLICT;
            case 429 -> Reason.RATE_LIMITED;
            default -> status >= 500 ? Reason.UNAVAILABLE : Reason.INVALID;
        };
        List<String> messages = new ArrayList<>();
        for (String message : errorMessages(method, uri, answer)) {
            messages.add(scrub(message) + afterRetries(retries));
        }
        return new DnsProviderException(POWERDNS, reason, status, messages, null);
    }

    /**
     * PowerDNS's words: {@code error} and {@code errors} of a JSON answer (422, 500); the plain text it answers
     * 401, 404 and 409 with ("Unauthorized", "Not Found", "Conflict"), then with the request it refers to.
     */
    private static List<String> errorMessages(HttpMethod method, URI uri, Answer answer) {
        String request = method + " " + uri.getPath();
        if (MediaType.APPLICATION_JSON.isCompatibleWith(answer.contentType())) {
            try {
                ErrorBody body = JSON.readValue(answer.body(), ErrorBody.class);
                List<String> messages = new ArrayList<>();
                if (body.error() != null && !body.error().isBlank()) {
                    messages.add(body.error());
                }
                if (body.errors() != null) {
                    body.errors().stream().filter(error -> !messages.contains(error)).forEach(messages::add);
                }
                if (!messages.isEmpty()) {
                    return messages;
                }
            } catch (JacksonException e) {
                log.debug("PowerDNS {}: the JSON error answer does not parse ({})", request, e.getOriginalMessage());
            }
        }
        String text = new String(answer.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "…";
        }
        if (text.isEmpty() || text.startsWith("<")) {
            HttpStatus known = HttpStatus.resolve(answer.status());
            text = "HTTP " + answer.status() + (known == null ? "" : " " + known.getReasonPhrase());
        }
        return List.of(text + " (" + request + ")");
    }

    private void pause(HttpMethod method, URI uri, String what, int retry) {
        Duration base = settings.retryBase();
        Duration wait = retry >= 30 ? settings.maxRetryWait() : base.multipliedBy(1L << retry);
        if (wait.compareTo(settings.maxRetryWait()) > 0) {
            wait = settings.maxRetryWait();
        }
        log.info("PowerDNS {} {}: {}, retry {} in {}", method, uri.getPath(), what, retry + 1, wait);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException(POWERDNS, Reason.UNAVAILABLE, 0,
                    List.of("interrupted while waiting to retry " + method + " " + uri.getPath()), e);
        }
    }

    private static String afterRetries(int retries) {
        return retries > 0 ? ", after " + retries + " retries" : "";
    }

    /** The kind of transport failure in words, with the transport's own message when it has one. */
    private static String transportFailure(ResourceAccessException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String kind = cause instanceof ConnectException ? "connection refused"
                : cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException ? "timed out"
                : "connection failed";
        String message = cause.getMessage();
        return message == null || message.isBlank() || message.contains("Exception") ? kind : kind + ": " + message;
    }

    private String scrub(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return apiKey.isEmpty() ? text : text.replace(apiKey, "********");
    }

    private record Answer(int status, @Nullable MediaType contentType, byte[] body) {
    }
}
