package io.vippanel.servers;

import java.time.Instant;

/**
 * A person's public key installed for the server's admin user.
 *
 * @param status {@code pending} until the job installed it, {@code installed}, {@code removing}, or {@code failed}
 */
public record ServerSshKey(String id, String serverId, String name, String keyType, int bits, String fingerprint,
                           String status, Instant createdAt) {
}
