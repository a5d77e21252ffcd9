package io.vippanel.platform;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The HTTP plumbing that the clients of providers' JSON APIs (cloud servers, DNS) share: one kind of client, one
 * exchange that hands back every answer whatever its status, and one rule of what may be retried and how long to
 * wait.
 */
public final class ApiHttp {

    /** An answer as it came, so that the caller decides what a status means. */
    public record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    private static final Set<Integer> GATEWAY_STATUSES = Set.of(502, 503, 504);

    private ApiHttp() {
    }

    /** A client on the JDK HttpClient: {@code requestTimeout} to connect and to answer, no redirects. */
    public static RestClient restClient(Duration requestTimeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(requestTimeout);
        return RestClient.builder().requestFactory(factory).build();
    }

    /**
     * Sends one request asking for JSON.
     *
     * @param authentication sets the credentials' headers
     * @param json           the request body, null for none
     * @throws org.springframework.web.client.ResourceAccessException when no answer came
     */
    public static Answer exchange(RestClient client, HttpMethod method, URI uri, Consumer<HttpHeaders> authentication,
                                  byte @Nullable [] json) {
        RestClient.RequestBodySpec request = client.method(method)
                .uri(uri)
                .headers(headers -> {
                    authentication.accept(headers);
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                });
        if (json != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        return request.exchangeForRequiredValue((req, response) -> new Answer(response.getStatusCode().value(),
                response.getHeaders(), response.getBody().readAllBytes()), true);
    }

    /**
     * Whether a request answered with {@code status} may be sent again: a rate limit always; an outage only when
     * repeating it cannot do the work twice, so a {@code POST} only after a gateway error (502, 503, 504).
     */
    public static boolean mayRetry(HttpMethod method, int status) {
        return status == 429 || (status >= 500 && (method != HttpMethod.POST || GATEWAY_STATUSES.contains(status)));
    }

    /** Whether a request without an answer may be sent again: a {@code POST} only when it was never sent. */
    public static boolean mayRetry(HttpMethod method, ResourceAccessException noAnswer) {
        return method != HttpMethod.POST || noAnswer.getCause() instanceof ConnectException;
    }

    /** {@code base} doubled for every retry before this one, capped at {@code max}. */
    public static Duration backoff(int retry, Duration base, Duration max) {
        return cap(retry >= 30 ? max : base.multipliedBy(1L << retry), max);
    }

    public static Duration cap(Duration wait, Duration max) {
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
