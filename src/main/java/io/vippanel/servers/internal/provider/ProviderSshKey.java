package io.vippanel.servers.internal.provider;

/**
 * A public key registered with the provider.
 *
 * @param id          the provider's id for it (what {@link VmSpec#sshKeyIds()} and {@link CloudProvider#deleteSshKey} take)
 * @param fingerprint as the provider reports it
 */
public record ProviderSshKey(String id, String fingerprint) {
}
