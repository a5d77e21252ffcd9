package io.vippanel.servers.internal.provider.aws;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Linux on-demand hourly prices of EC2 instance types in one region, from the AWS Price List API
 * ({@code AWSPriceListService.GetProducts}, JSON 1.1 protocol, us-east-1 endpoint).
 *
 * <p>The SDK's pricing module is not published for the SDK version the panel uses, so the call is made here with
 * the SDK's own SigV4 signer and HTTP client. The filter is what AWS's calculator shows for a plain Linux server:
 * shared tenancy, no pre-installed software, capacity status {@code Used}, no license.
 */
final class AwsPriceList {

    static final String DEFAULT_ENDPOINT = "https://api.pricing.us-east-1.amazonaws.com";
    private static final String SIGNING_REGION = "us-east-1";
    private static final String TARGET = "AWSPriceListService.GetProducts";
    private static final int MAX_PAGES = 50;

    private final AwsClients clients;
    private final JsonMapper json = JsonMapper.builder().build();

    AwsPriceList(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * Hourly USD prices by instance type for the given types in a region.
     *
     * @throws PriceListUnavailable when the Price List API refuses or fails; the caller shows prices as unknown
     */
    Map<String, BigDecimal> hourlyUsd(String region, Set<String> instanceTypes) {
        Map<String, BigDecimal> prices = new HashMap<>();
        String nextToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode answer = call(requestBody(region, nextToken));
            for (JsonNode entry : answer.path("PriceList")) {
                readPrice(entry.isString() ? json.readTree(entry.asString()) : entry, instanceTypes, prices);
            }
            nextToken = answer.path("NextToken").asString(null);
            if (nextToken == null || nextToken.isBlank()) {
                return prices;
            }
        }
        return prices;
    }

    private String requestBody(String region, @Nullable String nextToken) {
        ObjectNode body = json.createObjectNode()
                .put("ServiceCode", "AmazonEC2")
                .put("FormatVersion", "aws_v1")
                .put("MaxResults", 100);
        var filters = body.putArray("Filters");
        Map.of("regionCode", region, "operatingSystem", "Linux", "tenancy", "Shared", "preInstalledSw", "NA",
                        "capacitystatus", "Used", "licenseModel", "No License required")
                .forEach((field, value) -> filters.addObject()
                        .put("Type", "TERM_MATCH").put("Field", field).put("Value", value));
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return json.writeValueAsString(body);
    }

    /** Reads {@code terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD} of an hourly dimension. */
    private static void readPrice(JsonNode product, Set<String> instanceTypes, Map<String, BigDecimal> prices) {
        String type = product.path("product").path("attributes").path("instanceType").asString("");
        if (!instanceTypes.contains(type) || prices.containsKey(type)) {
            return;
        }
        for (JsonNode term : product.path("terms").path("OnDemand")) {
            for (JsonNode dimension : term.path("priceDimensions")) {
                String usd = dimension.path("pricePerUnit").path("USD").asString("");
                if (dimension.path("unit").asString("").startsWith("Hr") && !usd.isBlank()) {
                    BigDecimal hourly = new BigDecimal(usd);
                    if (hourly.signum() > 0) {
                        prices.put(type, hourly.stripTrailingZeros());
                        return;
                    }
                }
            }
        }
    }

    private JsonNode call(String body) {
        int attempts = Math.max(1, clients.settings().maxRetries() + 1);
        PriceListUnavailable last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            try {
                return callOnce(body);
            } catch (PriceListUnavailable failure) {
                if (!failure.retryable) {
                    throw failure;
                }
                last = failure;
            }
        }
        throw last;
    }

    private JsonNode callOnce(String body) {
        URI endpoint = URI.create(endpoint());
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET)
                .build();
        AwsCredentialsIdentity identity = clients.credentials().resolveCredentials();
        SignedRequest signed = AwsV4HttpSigner.create().sign(signing -> signing
                .identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "pricing")
                .putProperty(AwsV4HttpSigner.REGION_NAME, SIGNING_REGION));
        try {
            HttpExecuteResponse response = clients.http().prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            String text = response.responseBody().map(AwsPriceList::readAll).orElse("");
            int status = response.httpResponse().statusCode();
            if (status / 100 == 2) {
                return json.readTree(text);
            }
            JsonNode error = parseQuietly(text);
            String type = error.path("__type").asString("");
            String code = type.substring(type.indexOf('#') + 1);
            String message = error.path("message").asString(error.path("Message").asString("HTTP status " + status));
            boolean retryable = status >= 500 || status == 429 || code.contains("Throttling");
            throw new PriceListUnavailable(code.isBlank() ? "HTTP " + status : code + ": " + message, retryable);
        } catch (IOException | RuntimeException failure) {
            if (failure instanceof PriceListUnavailable unavailable) {
                throw unavailable;
            }
            throw new PriceListUnavailable("the Price List API could not be reached: " + failure.getMessage(), true);
        }
    }

    private String endpoint() {
        String configured = clients.settings().awsPricingEndpoint();
        return configured == null || configured.isBlank() ? DEFAULT_ENDPOINT : configured;
    }

    private JsonNode parseQuietly(String text) {
        try {
            return json.readTree(text.isBlank() ? "{}" : text);
        } catch (RuntimeException notJson) {
            return json.createObjectNode();
        }
    }

    private void pause(int attempt) {
        long base = clients.settings().retryBase().toMillis();
        long cap = clients.settings().maxRetryWait().toMillis();
        long delay = Math.min(cap, base << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new PriceListUnavailable("interrupted while waiting to retry the Price List API", false);
        }
    }

    private static String readAll(InputStream body) {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new PriceListUnavailable("the Price List API answer could not be read: " + failure.getMessage(), true);
        }
    }

    /** The Price List API did not answer with prices; the reason is for the log, never shown as a price. */
    static final class PriceListUnavailable extends RuntimeException {
        private final transient boolean retryable;

        PriceListUnavailable(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }
    }

}
