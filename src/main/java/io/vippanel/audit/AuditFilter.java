package io.vippanel.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Filters of the audit page and API; every field is optional. */
public record AuditFilter(@Nullable String actor, @Nullable String action, @Nullable String target,
                          @Nullable Instant from, @Nullable Instant to) {

    public static final AuditFilter NONE = new AuditFilter(null, null, null, null, null);
}
