package io.vippanel.servers.internal.provider;

import java.util.List;
import java.util.Map;

/**
 * What to create.
 *
 * @param name      host name of the VM (already validated as a DNS label)
 * @param region    a {@link Region#id()}
 * @param size      a {@link Size#id()} offered in that region
 * @param image     an {@link Image#id()}
 * @param sshKeyIds {@link ProviderSshKey#id()}s whose keys the VM accepts for root (or the image's default user)
 * @param labels    tags the provider stores with the VM (the panel puts its server id here, so an orphan can be
 *                  found)
 */
public record VmSpec(String name, String region, String size, String image, List<String> sshKeyIds,
                     Map<String, String> labels) {

    public VmSpec {
        sshKeyIds = List.copyOf(sshKeyIds);
        labels = Map.copyOf(labels);
    }
}
