package io.vippanel.dns;

import org.jspecify.annotations.Nullable;

/**
 * A record as typed: {@code name} relative to the zone ({@code @} or empty for the apex, or a full name), {@code ttl}
 * as text (empty: the default 3600), {@code content} as the type takes it ({@code 10 mail.example.com} for MX).
 */
public record RecordEdit(@Nullable String name, @Nullable String type, @Nullable String ttl, @Nullable String content) {
}
