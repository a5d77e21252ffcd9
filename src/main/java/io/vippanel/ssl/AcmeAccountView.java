package io.vippanel.ssl;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The platform's ACME account at one CA. Its key is never part of it.
 *
 * @param accountUrl the account's address at the CA, which identifies it there
 * @param termsUrl   the CA's terms of service the account agreed to; null when the CA has none
 */
public record AcmeAccountView(String id, String directoryUrl, String accountUrl, @Nullable String contactEmail,
                              @Nullable String termsUrl, @Nullable String termsAcceptedBy, @Nullable Instant termsAcceptedAt,
                              Instant createdAt, Instant updatedAt) {
}
