package io.vippanel.dns.internal.provider;

import io.vippanel.dns.DnsProviderKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A provider refused or failed a request. {@link #messages()} are the provider's own words (Cloudflare's error
 * array, Route53's error message, PowerDNS's {@code error}), without credentials, short enough to show to the user.
 */
public class DnsProviderException extends RuntimeException {

    public enum Reason {
        /** The credentials were refused (401/403, InvalidClientTokenId, SignatureDoesNotMatch). */
        CREDENTIALS,
        /** The provider refused the request's content (400/422, InvalidChangeBatch, Cloudflare 1004 …). */
        INVALID,
        /** The zone (or record) is not there. */
        NOT_FOUND,
        /** The zone already exists (409, HostedZoneAlreadyExists, Cloudflare 1061). */
        CONFLICT,
        /** Still rate limited after the allowed retries (429, Throttling, PriorRequestNotComplete). */
        RATE_LIMITED,
        /** The provider could not be reached or kept failing (5xx, timeouts) after the allowed retries. */
        UNAVAILABLE
    }

    private final DnsProviderKind provider;
    private final Reason reason;
    private final int httpStatus;
    private final List<String> messages;

    public DnsProviderException(DnsProviderKind provider, Reason reason, int httpStatus, List<String> messages,
                                @Nullable Throwable cause) {
        super(provider.displayName() + " " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + String.join("; ", messages), cause);
        this.provider = provider;
        this.reason = reason;
        this.httpStatus = httpStatus;
        this.messages = List.copyOf(messages);
    }

    public DnsProviderKind provider() {
        return provider;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status of the last answer, 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    public List<String> messages() {
        return messages;
    }

    /** One sentence for a person: the provider's name and its own words. */
    public String userMessage() {
        String said = messages.isEmpty() ? "no reason given" : String.join("; ", messages);
        return switch (reason) {
            case CREDENTIALS -> provider.displayName() + " refused the credentials: " + said;
            case INVALID -> provider.displayName() + " refused the change: " + said;
            case NOT_FOUND -> provider.displayName() + " does not know it: " + said;
            case CONFLICT -> provider.displayName() + " already has it: " + said;
            case RATE_LIMITED -> provider.displayName() + " is rate limiting the panel; try again later (" + said + ")";
            case UNAVAILABLE -> provider.displayName() + " could not be reached: " + said;
        };
    }
}
