package io.vippanel.servers.internal.provider;

import io.vippanel.servers.ProviderKind;
import java.util.List;
import java.util.Optional;

/**
 * One provider account's API, as the panel uses it. Every method talks to the provider live (no caching here),
 * blocks, follows pagination, waits out 429 answers and retries 5xx ones as configured in
 * {@code vip.providers.*}, and waits for the provider's asynchronous actions to finish where it says so.
 * Failures are {@link ProviderException}s whose {@link ProviderException#userMessage()} a person can act on.
 */
public interface CloudProvider {

    ProviderKind kind();

    /**
     * Checks the credentials live with a cheap authenticated call.
     *
     * @return a short description of what the credentials reach, for the "test connection" answer
     *         (e.g. "12 regions available")
     */
    String verifyCredentials();

    List<Region> regions();

    /** Every size the account can create, with prices and the regions that offer it. */
    List<Size> sizes();

    /** The provider's images for the operating systems in {@link io.vippanel.servers.OsImage}, newest first. */
    List<Image> images();

    /** Registers a public key with the provider so that a new VM accepts it for its first login. */
    ProviderSshKey uploadSshKey(String name, String openSshPublicKey);

    /** Removes a key registered by {@link #uploadSshKey}; an already missing key is not an error. */
    void deleteSshKey(String providerKeyId);

    /**
     * Asks the provider for a new VM and returns as soon as the provider accepted it (the VM may still be
     * starting: poll {@link #findVm} until it is {@link VmState#RUNNING} with an address).
     */
    Vm createVm(VmSpec spec);

    /** The VM as the provider sees it now; empty when the provider does not know it (deleted, wrong id). */
    Optional<Vm> findVm(String vmId);

    /** Reboots the VM and waits until the provider reports the action done. */
    void reboot(String vmId);

    void powerOff(String vmId);

    void powerOn(String vmId);

    /**
     * Changes the VM's size and waits until it is done; the VM is running again afterwards. Providers that can
     * resize only a stopped VM are powered off and on by this method.
     */
    void resize(String vmId, String sizeId);

    /** Deletes the VM and waits until the provider accepted the deletion; an already missing VM is not an error. */
    void deleteVm(String vmId);
}
