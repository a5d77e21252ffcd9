package io.vippanel.dns;

import org.jspecify.annotations.Nullable;

/**
 * A zone to create: its name and the DNS account that hosts it, and optionally a BIND zone file whose records it
 * starts with.
 */
public record NewZone(@Nullable String accountId, @Nullable String name, @Nullable String zoneFile) {
}
