package io.vippanel.dns.internal.provider.cloudflare;

import io.vippanel.dns.DnsProviderKind;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.DnsProviderException.Reason;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Envelope;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.ApiError;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.ResultInfo;
import io.vippanel.platform.ApiHttp;
import io.vippanel.platform.ApiHttp.Answer;
import io.vippanel.platform.VipProperties;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Cloudflare API token's HTTP connection: sends JSON with the bearer token, unwraps the {@code result} of
 * Cloudflare's answer envelope, follows {@code result_info} paging, waits out 429s and retries outages as
 * {@code vip.dns.*} allows, and turns the {@code errors} array into a {@link DnsProviderException}.
 *
 * <p>A {@code POST} is retried only when Cloudflare cannot have acted on it (429, 502/503/504, refused connection),
 * so that a retry never applies a batch twice. The token goes only into the {@code Authorization} header; messages
 * are scrubbed of it as well.
 */
final class CloudflareApi {

    private static final Logger log = LoggerFactory.getLogger(CloudflareApi.class);
    private static final DnsProviderKind CLOUDFLARE = DnsProviderKind.CLOUDFLARE;
    private static final int MAX_PAGES = 1000;
    /** "Authentication error", "Unauthorized to access requested resource", "Invalid API Token". */
    private static final Set<Integer> CREDENTIALS_CODES = Set.of(10000, 9109, 1000);
    /** "Could not route to …, perhaps your object identifier is invalid?", "Invalid zone identifier", "Record does not exist". */
    private static final Set<Integer> NOT_FOUND_CODES = Set.of(7003, 1001, 81044);
    /** A zone, a record, or an identical record that already exists. */
    private static final Set<Integer> CONFLICT_CODES = Set.of(1061, 81057, 81058);

    /** Cloudflare's JSON is snake_case and grows new fields; records name only what the panel reads. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final RestClient client;
    private final String baseUrl;
    private final String token;
    private final VipProperties.Dns settings;

    CloudflareApi(RestClient client, VipProperties.Dns settings, String token) {
        String url = settings.cloudflareUrl();
        this.client = client;
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
        this.settings = settings;
    }

    /** {@code GET path?query}, its {@code result} read into {@code type}. */
    <T> T get(String path, Map<String, ?> query, Class<T> type) {
        return result(send(HttpMethod.GET, uri(path, query), null), JSON.constructType(type));
    }

    /** {@code GET path?query}, the whole envelope, for the paging facts of a listing. */
    Envelope getEnvelope(String path, Map<String, ?> query) {
        return envelope(send(HttpMethod.GET, uri(path, query), null));
    }

    /** Every item of a listing, page after page until {@code result_info.total_pages}. */
    <T> List<T> collect(String path, Map<String, ?> query, int perPage, Class<T> itemType) {
        JavaType listType = JSON.getTypeFactory().constructCollectionType(List.class, itemType);
        List<T> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, Object> pageQuery = new LinkedHashMap<>(query);
            pageQuery.put("page", page);
            pageQuery.put("per_page", perPage);
            Envelope answer = envelope(send(HttpMethod.GET, uri(path, pageQuery), null));
            List<T> items = convert(answer.result(), listType, 200);
            all.addAll(items);
            ResultInfo info = answer.resultInfo();
            if (info == null || page >= info.totalPages() || items.isEmpty()) {
                return all;
            }
            if (page >= MAX_PAGES) {
                throw new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, 200,
                        List.of("the listing " + path + " does not end (more than " + MAX_PAGES + " pages)"), null);
            }
        }
    }

    /** {@code POST path} with a JSON body, its {@code result} read into {@code type}. */
    <T> T post(String path, Object body, Class<T> type) {
        return result(send(HttpMethod.POST, uri(path, Map.of()), body), JSON.constructType(type));
    }

    /** {@code POST path} with a JSON body when its {@code result} is of no use to the caller. */
    void postWithoutResult(String path, Object body) {
        envelope(send(HttpMethod.POST, uri(path, Map.of()), body));
    }

    void delete(String path) {
        envelope(send(HttpMethod.DELETE, uri(path, Map.of()), null));
    }

    private URI uri(String path, Map<String, ?> query) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(baseUrl + path);
        query.forEach(builder::queryParam);
        return builder.build().encode().toUri();
    }

    private Answer send(HttpMethod method, URI uri, @Nullable Object body) {
        byte[] content = body == null ? null : JSON.writeValueAsBytes(body);
        for (int retry = 0; ; retry++) {
            Answer answer;
            try {
                answer = ApiHttp.exchange(client, method, uri, headers -> headers.setBearerAuth(token), content);
            } catch (ResourceAccessException e) {
                if (retry >= settings.maxRetries() || !ApiHttp.mayRetry(method, e)) {
                    throw noAnswer(method, uri, e, retry);
                }
                Duration wait = backoff(retry);
                log.info("Cloudflare {} {}: no answer ({}), retry {} in {}", method, uri.getPath(), transportFailure(e),
                        retry + 1, wait);
                sleep(wait);
                continue;
            }
            int status = answer.status();
            if (status < 400) {
                return answer;
            }
            if (!ApiHttp.mayRetry(method, status) || retry >= settings.maxRetries()) {
                throw failure(method, uri, answer, retry);
            }
            Duration wait = status == 429 ? retryAfter(answer.headers(), retry) : backoff(retry);
            log.info("Cloudflare {} {}: HTTP {}, retry {} in {}", method, uri.getPath(), status, retry + 1, wait);
            sleep(wait);
        }
    }

    private <T> T result(Answer answer, JavaType type) {
        return convert(envelope(answer).result(), type, answer.status());
    }

    /** The envelope of a 2xx answer; one that says {@code success: false} fails like an error status. */
    private Envelope envelope(Answer answer) {
        Envelope envelope = readEnvelope(answer);
        if (envelope == null) {
            throw new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, answer.status(),
                    List.of("the answer (HTTP " + answer.status() + ") is not the JSON envelope the API documents"), null);
        }
        if (!envelope.success()) {
            List<ApiError> errors = Objects.requireNonNullElse(envelope.errors(), List.of());
            throw new DnsProviderException(CLOUDFLARE, reason(answer.status(), errors), answer.status(),
                    errors.isEmpty() ? List.of("Cloudflare answered success: false without errors") : messages(errors),
                    null);
        }
        return envelope;
    }

    private <T> T convert(@Nullable JsonNode result, JavaType type, int status) {
        try {
            T value = JSON.treeToValue(result, type);
            if (value == null) {
                throw new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, status,
                        List.of("the answer (HTTP " + status + ") has no result"), null);
            }
            return value;
        } catch (JacksonException e) {
            throw new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, status,
                    List.of("the answer (HTTP " + status + ") is not the JSON the API documents: "
                            + scrub(e.getOriginalMessage())), e);
        }
    }

    private @Nullable Envelope readEnvelope(Answer answer) {
        if (answer.body().length == 0) {
            return null;
        }
        try {
            return JSON.readValue(answer.body(), Envelope.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private DnsProviderException failure(HttpMethod method, URI uri, Answer answer, int retries) {
        Envelope envelope = readEnvelope(answer);
        List<ApiError> errors = envelope == null || envelope.errors() == null ? List.of() : envelope.errors();
        List<String> messages = new ArrayList<>(messages(errors));
        if (messages.isEmpty()) {
            HttpStatus known = HttpStatus.resolve(answer.status());
            messages.add("HTTP " + answer.status() + (known == null ? "" : " " + known.getReasonPhrase()) + " to "
                    + method + " " + uri.getPath());
        }
        if (retries > 0) {
            messages.add("after " + retries + (retries == 1 ? " retry" : " retries"));
        }
        return new DnsProviderException(CLOUDFLARE, reason(answer.status(), errors), answer.status(), messages, null);
    }

    private DnsProviderException noAnswer(HttpMethod method, URI uri, ResourceAccessException e, int retries) {
        String message = "no answer from " + uri.getHost() + " to " + method + " " + uri.getPath() + " ("
                + transportFailure(e) + ")" + (retries > 0 ? " after " + retries + " retries" : "");
        List<String> messages = !ApiHttp.mayRetry(method, e)
                ? List.of(scrub(message), "Cloudflare may have applied the request; read the zone before repeating it")
                : List.of(scrub(message));
        return new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, 0, messages, e);
    }

    /** Error codes decide before the status: Cloudflare answers an unknown zone id with 400 and code 7003. */
    private static Reason reason(int status, List<ApiError> errors) {
        Set<Integer> codes = new HashSet<>();
        errors.stream().flatMap(CloudflareApi::withChain).forEach(error -> codes.add(error.code()));
        if (status == 401 || status == 403 || codes.stream().anyMatch(CREDENTIALS_CODES::contains)) {
            return Reason.CREDENTIALS;
        }
        if (status == 404 || codes.stream().anyMatch(NOT_FOUND_CODES::contains)) {
            return Reason.NOT_FOUND;
        }
        if (status == 409 || codes.stream().anyMatch(CONFLICT_CODES::contains)) {
            return Reason.CONFLICT;
        }
        if (status == 429) {
            return Reason.RATE_LIMITED;
        }
        return status >= 500 ? Reason.UNAVAILABLE : Reason.INVALID;
    }

    private static Stream<ApiError> withChain(ApiError error) {
        List<ApiError> chain = Objects.requireNonNullElse(error.errorChain(), List.of());
        return Stream.concat(Stream.of(error), chain.stream().flatMap(CloudflareApi::withChain));
    }

    /** Each error as Cloudflare words it with its code, its {@code error_chain} behind it. */
    private List<String> messages(List<ApiError> errors) {
        return errors.stream().map(error -> scrub(describe(error))).toList();
    }

    private static String describe(ApiError error) {
        String text = Objects.requireNonNullElse(error.message(), "error") + " (" + error.code() + ")";
        List<ApiError> chain = Objects.requireNonNullElse(error.errorChain(), List.of());
        return chain.isEmpty() ? text
                : text + ": " + String.join("; ", chain.stream().map(CloudflareApi::describe).toList());
    }

    private static String transportFailure(ResourceAccessException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        return cause instanceof java.net.UnknownHostException ? "unknown host" : "connection failed";
    }

    /** Cloudflare's 429 carries {@code Retry-After} in seconds; without it, backoff. */
    private Duration retryAfter(HttpHeaders headers, int retry) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || !value.strip().matches("\\d{1,9}")) {
            return backoff(retry);
        }
        return ApiHttp.cap(Duration.ofSeconds(Long.parseLong(value.strip())), settings.maxRetryWait());
    }

    private Duration backoff(int retry) {
        return ApiHttp.backoff(retry, settings.retryBase(), settings.maxRetryWait());
    }

    /** Sleeps; an interrupt ends the wait at once, keeps the thread's interrupt flag and fails the call. */
    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException(CLOUDFLARE, Reason.UNAVAILABLE, 0,
                    List.of("interrupted while waiting for Cloudflare"), e);
        }
    }

    private String scrub(@Nullable String text) {
        return text == null ? "" : text.replace(token, "********");
    }
}
