package io.vippanel.platform;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The HTTP client the panel calls other services' APIs with (cloud providers, DNS providers). */
public final class OutboundHttp {

    private OutboundHttp() {
    }

    /**
     * A client on the JDK HttpClient that waits at most {@code timeout} to connect and again for an answer, and
     * follows no redirects: a redirect would carry the credentials' header to wherever it points.
     */
    public static RestClient restClient(Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(timeout);
        return RestClient.builder().requestFactory(factory).build();
    }
}
