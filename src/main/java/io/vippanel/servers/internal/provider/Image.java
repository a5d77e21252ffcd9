package io.vippanel.servers.internal.provider;

import io.vippanel.servers.OsImage;

/**
 * A provider image of one of the supported operating systems.
 *
 * @param id   what {@link VmSpec#image()} takes ({@code ubuntu-24.04}, {@code ubuntu-24-04-x64}, Vultr's os id,
 *             an AMI id)
 * @param os   which supported operating system it is
 * @param name the provider's name for it
 */
public record Image(String id, OsImage os, String name) {
}
