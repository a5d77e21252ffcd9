package io.vippanel.servers.internal.provider.http;

import java.util.Set;
import java.util.function.Function;

/**
 * How one provider shapes its error bodies: the record to read them into and what it says.
 *
 * @param type  the record the JSON error body is read into
 * @param toError        picks code, message and request id out of it
 * @param rejectionCodes error codes that mean the request was refused as given whatever the status says (Hetzner
 *                       answers an exceeded resource limit with 403 {@code resource_limit_exceeded}, which is not a
 *                       credentials problem)
 * @param <B>            the error body record
 */
public record ErrorFormat<B>(Class<B> type, Function<B, ProviderError> toError, Set<String> rejectionCodes) {

    public ErrorFormat {
        rejectionCodes = Set.copyOf(rejectionCodes);
    }

    public ErrorFormat(Class<B> type, Function<B, ProviderError> toError) {
        this(type, toError, Set.of());
    }
}
