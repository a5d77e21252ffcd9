package io.vippanel.servers;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A cloud provider account. The credentials are never part of it: only a hint (the last characters) so people
 * can tell two accounts apart.
 *
 * @param shared        usable (not readable) by every tenant below the owner, e.g. a platform account resellers
 *                      create their customers' servers with
 * @param ownedByViewer whether the viewer's tenant scope owns it (and so may change or delete it)
 */
public record ProviderAccount(String id, String tenantId, ProviderKind kind, String name, boolean shared,
                              String credentialHint, @Nullable String defaultRegion, @Nullable Instant lastCheckedAt,
                              @Nullable Boolean lastCheckOk, @Nullable String lastCheckNote, Instant createdAt,
                              boolean ownedByViewer) {
}
