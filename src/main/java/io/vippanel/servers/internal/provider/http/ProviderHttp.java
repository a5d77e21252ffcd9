package io.vippanel.servers.internal.provider.http;

import io.vippanel.platform.ApiHttp;
import io.vippanel.platform.ApiHttp.Answer;
import io.vippanel.platform.VipProperties;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.internal.provider.ProviderCredentials;
import io.vippanel.servers.internal.provider.ProviderCredentials.ApiToken;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderException.Reason;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
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
 * One provider account's HTTP connection: sends JSON with the account's bearer token, reads answers into records,
 * follows pagination, waits out rate limits and retries outages as {@code vip.providers.*} allows, turns error
 * answers into {@link ProviderException}s in the provider's words, and polls asynchronous actions.
 *
 * <p>Written once for every REST provider so that they cannot drift apart in how they fail. The token is only
 * ever put into the {@code Authorization} header; messages are scrubbed of it as a second line of defence.
 * Non-idempotent requests ({@code POST}) are retried only when the provider cannot have acted on them
 * (429, 502/503/504, refused connection), so that a retry never creates a second VM.
 */
public final class ProviderHttp {

    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    private static final int MAX_PAGES = 500;
    private static final int MAX_ERROR_TEXT = 300;

    /** Provider JSON is snake_case and grows new fields; records name only what the panel reads. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final ProviderKind provider;
    private final RestClient client;
    private final String baseUrl;
    private final String token;
    private final VipProperties.Providers settings;
    private final ErrorFormat<?> errorFormat;
    private final Clock clock;

    public ProviderHttp(ProviderKind provider, RestClient client, String baseUrl, ApiToken token,
                        VipProperties.Providers settings, ErrorFormat<?> errorFormat) {
        this.provider = provider;
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token.token();
        this.settings = settings;
        this.errorFormat = errorFormat;
        this.clock = Clock.systemUTC();
    }

    /** A client for the provider APIs: JDK HttpClient, {@code requestTimeout} to connect and to answer, no redirects. */
    public static RestClient restClient(VipProperties.Providers settings) {
        return ApiHttp.restClient(settings.requestTimeout());
    }

    /**
     * The bearer token out of credentials that a REST provider takes.
     *
     * @throws IllegalArgumentException for credentials of another kind
     */
    public static ApiToken apiToken(ProviderKind provider, ProviderCredentials credentials) {
        if (credentials instanceof ApiToken apiToken) {
            return apiToken;
        }
        throw new IllegalArgumentException(provider.displayName() + " takes an API token, not "
                + credentials.getClass().getSimpleName() + ".");
    }

    public ProviderKind provider() {
        return provider;
    }

    /** {@code GET path} read into {@code type}. */
    public <T> T get(String path, Class<T> type) {
        return read(send(HttpMethod.GET, uri(path), null), type);
    }

    /** {@code GET path}; empty when the provider answers 404. */
    public <T> Optional<T> find(String path, Class<T> type) {
        try {
            return Optional.of(get(path, type));
        } catch (ProviderException e) {
            if (e.reason() == Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST path} with a JSON body, the answer read into {@code type}. */
    public <T> T post(String path, @Nullable Object body, Class<T> type) {
        return read(send(HttpMethod.POST, uri(path), body), type);
    }

    /** {@code POST path} with a JSON body when the answer carries nothing the caller needs (204 or ignored). */
    public void postWithoutAnswer(String path, @Nullable Object body) {
        send(HttpMethod.POST, uri(path), body);
    }

    /** {@code PATCH path} with a JSON body, whatever the answer. */
    public void patch(String path, Object body) {
        send(HttpMethod.PATCH, uri(path), body);
    }

    /**
     * {@code DELETE path}; a 404 answer is taken as already deleted.
     *
     * @return whether the provider still knew the resource
     */
    public boolean deleteIfPresent(String path) {
        try {
            send(HttpMethod.DELETE, uri(path), null);
            return true;
        } catch (ProviderException e) {
            if (e.reason() == Reason.NOT_FOUND) {
                log.debug("{} DELETE {}: already gone", provider, path);
                return false;
            }
            throw e;
        }
    }

    /**
     * Every item of a paginated listing: requests {@code path}, then the same path with {@code pageParameter} set
     * to whatever {@code next} reads out of each page, until it reads null.
     *
     * @param path          the first page, with any fixed query ({@code /images?type=system&per_page=50})
     * @param pageParameter the query parameter that selects a page ({@code page}, {@code cursor})
     * @param next          the value of {@code pageParameter} for the page after this one, null on the last page
     */
    public <P, I> List<I> collect(String path, String pageParameter, Class<P> pageType, Function<P, List<I>> items,
                                  Function<P, @Nullable String> next) {
        List<I> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        URI uri = uri(path);
        for (int pages = 1; ; pages++) {
            P page = read(send(HttpMethod.GET, uri, null), pageType);
            all.addAll(items.apply(page));
            String following = next.apply(page);
            if (following == null || following.isBlank()) {
                return all;
            }
            if (!seen.add(following) || pages >= MAX_PAGES) {
                throw new ProviderException(provider, Reason.UNAVAILABLE, 200, null,
                        "the listing " + path + " does not end (page " + following + " again or more than "
                                + MAX_PAGES + " pages)", null, null);
            }
            uri = UriComponentsBuilder.fromUriString(baseUrl + path)
                    .replaceQueryParam(pageParameter, following)
                    .build()
                    .encode()
                    .toUri();
        }
    }

    /**
     * Asks {@code probe} every {@code actionPollInterval} until it returns a result, for at most
     * {@code actionTimeout}.
     *
     * @param what for the message when time runs out ({@code "reboot action 42"})
     * @throws ProviderException {@link Reason#ACTION_FAILED} when time runs out; whatever {@code probe} throws
     */
    public <T> T await(String what, Supplier<@Nullable T> probe) {
        Instant deadline = clock.instant().plus(settings.actionTimeout());
        while (true) {
            T result = probe.get();
            if (result != null) {
                return result;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new ProviderException(provider, Reason.ACTION_FAILED, 0, null,
                        what + " did not finish within " + settings.actionTimeout(), null, null);
            }
            sleep(settings.actionPollInterval());
        }
    }

    /** An asynchronous action the provider reports as failed. */
    public ProviderException actionFailed(String what, @Nullable String code, @Nullable String message) {
        String text = what + " failed" + (message == null || message.isBlank() ? "" : ": " + message);
        return new ProviderException(provider, Reason.ACTION_FAILED, 0, code, scrub(text), null, null);
    }

    private URI uri(String path) {
        return UriComponentsBuilder.fromUriString(baseUrl + path).build().encode().toUri();
    }

    private Answer send(HttpMethod method, URI uri, @Nullable Object body) {
        byte[] content = body == null ? null : JSON.writeValueAsBytes(body);
        for (int retry = 0; ; retry++) {
            Answer answer;
            try {
                answer = ApiHttp.exchange(client, method, uri, headers -> headers.setBearerAuth(token), content);
            } catch (ResourceAccessException e) {
                if (retry >= settings.maxRetries() || !ApiHttp.mayRetry(method, e)) {
                    throw new ProviderException(provider, Reason.UNAVAILABLE, 0, null,
                            scrub("no answer from " + uri.getHost() + " to " + method + " " + uri.getPath() + " ("
                                    + rootMessage(e) + ")" + (retry > 0 ? " after " + retry + " retries" : "")),
                            null, e);
                }
                Duration wait = backoff(retry);
                log.info("{} {} {}: no answer ({}), retry {} in {}", provider, method, uri.getPath(), rootMessage(e),
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
            Duration wait = status == 429 ? rateLimitWait(answer.headers(), retry) : serverErrorWait(answer.headers(), retry);
            log.info("{} {} {}: HTTP {}, retry {} in {}", provider, method, uri.getPath(), status, retry + 1, wait);
            sleep(wait);
        }
    }

    private <T> T read(Answer answer, Class<T> type) {
        try {
            return JSON.readValue(answer.body(), type);
        } catch (JacksonException e) {
            throw new ProviderException(provider, Reason.UNAVAILABLE, answer.status(), null,
                    "the answer (HTTP " + answer.status() + ") is not the JSON the API documents: "
                            + scrub(e.getOriginalMessage()), null, e);
        }
    }

    private ProviderException failure(HttpMethod method, URI uri, Answer answer, int retries) {
        int status = answer.status();
        ProviderError error = readError(answer);
        Reason reason = reason(status, error);
        String message = error.message() != null && !error.message().isBlank()
                ? error.message()
                : "HTTP " + status + " " + reasonPhrase(status) + " to " + method + " " + uri.getPath()
                        + describeBody(answer);
        if (retries > 0) {
            message += " (after " + retries + " retries)";
        }
        return new ProviderException(provider, reason, status, error.code(), scrub(message), error.requestId(), null);
    }

    private Reason reason(int status, ProviderError error) {
        if (error.code() != null && errorFormat.rejectionCodes().contains(error.code())) {
            return Reason.REJECTED;
        }
        return switch (status) {
            case 401, 403 -> Reason.UNAUTHORIZED;
            case 404 -> Reason.NOT_FOUND;
            case 429 -> Reason.RATE_LIMITED;
            default -> status >= 500 ? Reason.UNAVAILABLE : Reason.REJECTED;
        };
    }

    private <B> ProviderError readError(Answer answer) {
        @SuppressWarnings("unchecked")
        ErrorFormat<B> format = (ErrorFormat<B>) errorFormat;
        if (answer.body().length == 0) {
            return new ProviderError(null, null, null);
        }
        try {
            B body = JSON.readValue(answer.body(), format.type());
            return body == null ? new ProviderError(null, null, null) : format.toError().apply(body);
        } catch (JacksonException e) {
            return new ProviderError(null, null, null);
        }
    }

    /** For answers without a usable error body: what kind of body it was, and the start of it when it is text. */
    private static String describeBody(Answer answer) {
        if (answer.body().length == 0) {
            return " (empty answer)";
        }
        String type = Optional.ofNullable(answer.headers().getContentType()).map(MediaType::toString).orElse("no content type");
        String text = new String(answer.body(), StandardCharsets.UTF_8)
                .replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("<[^>]*>", " ")
                .replaceAll("\\s+", " ")
                .strip();
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "…";
        }
        return " (not a JSON error, " + type + (text.isEmpty() ? "" : ": " + text) + ")";
    }

    private static String reasonPhrase(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "" : known.getReasonPhrase();
    }

    /**
     * What went wrong on the way, in words for the person reading the page: the kind of failure, and the
     * transport's own message when it has one (never a Java class name).
     */
    private static String rootMessage(Throwable e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String kind = cause instanceof ConnectException ? "connection refused"
                : cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.net.SocketTimeoutException ? "timed out"
                : cause instanceof java.net.UnknownHostException ? "unknown host"
                : "connection failed";
        String message = cause.getMessage();
        return message == null || message.isBlank() || message.contains("Exception") ? kind : kind + ": " + message;
    }

    /**
     * 429: {@code Retry-After} (seconds or HTTP date), else the reset time in epoch seconds (Hetzner
     * {@code RateLimit-Reset}, DigitalOcean {@code ratelimit-reset}) when it lies ahead, else backoff.
     */
    private Duration rateLimitWait(HttpHeaders headers, int retry) {
        Duration wait = retryAfter(headers)
                .or(() -> epochSeconds(headers.getFirst("RateLimit-Reset")).filter(reset -> !reset.isZero()))
                .orElseGet(() -> backoff(retry));
        return cap(wait);
    }

    private Duration serverErrorWait(HttpHeaders headers, int retry) {
        return cap(retryAfter(headers).orElseGet(() -> backoff(retry)));
    }

    private Optional<Duration> retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        value = value.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(settings.maxRetryWait());
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(untilNow(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<Duration> epochSeconds(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(untilNow(Instant.ofEpochSecond(Long.parseLong(value.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Duration untilNow(Instant at) {
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private Duration backoff(int retry) {
        return ApiHttp.backoff(retry, settings.retryBase(), settings.maxRetryWait());
    }

    private Duration cap(Duration wait) {
        return ApiHttp.cap(wait, settings.maxRetryWait());
    }

    /** Sleeps; an interrupt ends the wait at once, keeps the thread's interrupt flag and fails the call. */
    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(provider, Reason.UNAVAILABLE, 0, null,
                    "interrupted while waiting for the provider", null, e);
        }
    }

    private String scrub(@Nullable String text) {
        if (text == null) {
            return "";
        }
        return text.replace(token, "********");
    }
}
