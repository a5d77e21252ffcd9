package io.vippanel.servers.internal;

import io.vippanel.automation.HostKeyScanner;
import io.vippanel.automation.ManagedHost;
import io.vippanel.servers.OsImage;
import io.vippanel.servers.ProviderKind;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.StackOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A server row as stored, secrets still sealed; {@link #view()} is what people may see. */
public record ServerRecord(String id, String tenantId, String tenantPath, String name, ProviderKind providerKind,
                           @Nullable String providerAccountId, @Nullable String providerAccountName,
                           @Nullable String providerVmId, @Nullable String providerKeyId, @Nullable String region,
                           @Nullable String size, OsImage image, @Nullable String providerImage, ServerStatus status,
                           @Nullable String statusNote, @Nullable String failedStep, @Nullable String ipv4,
                           @Nullable String ipv6, int sshPort, String sshUser, String adminUser,
                           @Nullable String hostKeys, String encryptedPanelKey, String panelPublicKey,
                           @Nullable String encryptedRetiredKey, Instant panelKeyCreatedAt,
                           @Nullable String encryptedBootstrapSecret, @Nullable String bootstrapKind,
                           @Nullable String encryptedDatabaseRootPassword, StackOptions stack, Map<String, Object> facts,
                           Map<String, String> services, @Nullable Instant servicesCheckedAt, @Nullable Long uptimeSeconds,
                           @Nullable Instant lastSeenAt, @Nullable Instant provisionedAt, @Nullable String lastJobId,
                           Instant createdAt) {

    public @Nullable String address() {
        return ipv4 != null ? ipv4 : ipv6;
    }

    /** The server as the panel connects to it; only once its host keys are pinned. */
    public ManagedHost host(String user) {
        String address = address();
        if (address == null || hostKeys == null) {
            throw new IllegalStateException("Server " + id + " has no address or pinned host key yet.");
        }
        return new ManagedHost(address, sshPort, user, hostKeys);
    }

    public ManagedHost host() {
        return host(sshUser);
    }

    public Server view() {
        return new Server(id, tenantId, name, providerKind, providerAccountId, providerAccountName, providerVmId, region,
                size, image, status, statusNote, failedStep, ipv4, ipv6, sshPort, sshUser, adminUser, stack,
                hostKeys == null ? List.of() : HostKeyScanner.fingerprints(hostKeys),
                HostKeyScanner.sha256Fingerprint(panelPublicKey.split(" ")[1]), panelKeyCreatedAt, services,
                servicesCheckedAt, facts, uptimeSeconds, lastSeenAt, provisionedAt, lastJobId, createdAt);
    }
}
