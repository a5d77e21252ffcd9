package io.vippanel.servers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A managed server as people see it: never a secret, only fingerprints of keys.
 *
 * @param providerAccountName null for custom servers
 * @param statusNote          why it failed, or what it is doing
 * @param failedStep          the step (create VM, wait for SSH, a playbook task, a check) that failed
 * @param hostKeyFingerprints the pinned host keys, {@code type SHA256:...}
 * @param services            last known state per service ({@code nginx -> active})
 * @param facts               what provisioning reported (PHP versions, database version, skipped items)
 */
public record Server(String id, String tenantId, String name, ProviderKind providerKind,
                     @Nullable String providerAccountId, @Nullable String providerAccountName,
                     @Nullable String providerVmId, @Nullable String region, @Nullable String size, OsImage image,
                     ServerStatus status, @Nullable String statusNote, @Nullable String failedStep,
                     @Nullable String ipv4, @Nullable String ipv6, int sshPort, String sshUser, String adminUser,
                     StackOptions stack, List<String> hostKeyFingerprints, String panelKeyFingerprint,
                     Instant panelKeyCreatedAt, Map<String, String> services, @Nullable Instant servicesCheckedAt,
                     Map<String, Object> facts, @Nullable Long uptimeSeconds, @Nullable Instant lastSeenAt,
                     @Nullable Instant provisionedAt, @Nullable String lastJobId, Instant createdAt) {

    /** The address the panel connects to: IPv4 when there is one. */
    public @Nullable String address() {
        return ipv4 != null ? ipv4 : ipv6;
    }
}
