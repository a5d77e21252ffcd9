package io.vippanel.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A personal API token as listed; its secret is shown once at creation and never stored in clear. */
public record ApiToken(String id, String name, Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt) {
}
