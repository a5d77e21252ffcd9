package io.vippanel.servers.internal.provider.http;

import org.jspecify.annotations.Nullable;

/**
 * What a provider's error body says, in the provider's words.
 *
 * @param code      the provider's error code ({@code invalid_input}, {@code unprocessable_entity}), null when none
 * @param message   the provider's message, null when the body had none
 * @param requestId the provider's request id for support, null when none
 */
public record ProviderError(@Nullable String code, @Nullable String message, @Nullable String requestId) {
}
