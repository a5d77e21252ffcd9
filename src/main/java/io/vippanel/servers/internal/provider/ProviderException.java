package io.vippanel.servers.internal.provider;

import io.vippanel.servers.ProviderKind;
import org.jspecify.annotations.Nullable;

/**
 * A provider API call that did not succeed, after the retries the settings allow.
 *
 * <p>The message is built from the provider's own error body (Hetzner {@code error.code/message}, DigitalOcean
 * {@code id/message/request_id}, Vultr {@code error/status}, AWS error codes) and never contains credentials.
 */
public class ProviderException extends RuntimeException {

    public enum Reason {
        /** 401/403, wrong or revoked credentials, missing permission. */
        UNAUTHORIZED,
        /** 404: the VM, key or action does not exist. */
        NOT_FOUND,
        /** 400/409/422: the provider refused the request as given (size not in region, name taken, limit reached). */
        REJECTED,
        /** 429 and still limited after the allowed retries. */
        RATE_LIMITED,
        /** 5xx, timeouts, connection failures after the allowed retries. */
        UNAVAILABLE,
        /** An asynchronous action that the provider reports as failed, or that did not finish in time. */
        ACTION_FAILED
    }

    private final ProviderKind provider;
    private final Reason reason;
    private final int httpStatus;
    private final @Nullable String providerCode;
    private final @Nullable String requestId;

    /**
     * @param message what went wrong in the provider's words, e.g. {@code server type cx22 is not available in
     *                location ash}
     */
    public ProviderException(ProviderKind provider, Reason reason, int httpStatus, @Nullable String providerCode,
                             String message, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.reason = reason;
        this.httpStatus = httpStatus;
        this.providerCode = providerCode;
        this.requestId = requestId;
    }

    public ProviderKind provider() {
        return provider;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status of the last answer; 0 when there was none (connection failed, action failed). */
    public int httpStatus() {
        return httpStatus;
    }

    public @Nullable String providerCode() {
        return providerCode;
    }

    public @Nullable String requestId() {
        return requestId;
    }

    /** Whether trying again later may succeed (rate limits, outages). */
    public boolean retryable() {
        return reason == Reason.RATE_LIMITED || reason == Reason.UNAVAILABLE;
    }

    /** For a person: {@code Hetzner Cloud: server type cx22 is not available in location ash (invalid_input)}. */
    public String userMessage() {
        StringBuilder text = new StringBuilder(provider.displayName()).append(": ").append(getMessage());
        if (providerCode != null && !providerCode.isBlank()) {
            text.append(" (").append(providerCode).append(')');
        }
        if (requestId != null && !requestId.isBlank()) {
            text.append(" [request ").append(requestId).append(']');
        }
        return text.toString();
    }
}
