package io.vippanel.servers.internal.provider;

import org.jspecify.annotations.Nullable;

/**
 * A VM as its provider reports it.
 *
 * @param id        the provider's id
 * @param ipv4      public IPv4 address, null until assigned
 * @param ipv6      public IPv6 address (the first address of the VM's network where the provider assigns a /64),
 *                  null when none
 * @param loginUser the user the image lets in with the uploaded key ({@code root}; {@code ubuntu}/{@code admin}
 *                  on AWS images)
 */
public record Vm(String id, String name, VmState state, @Nullable String ipv4, @Nullable String ipv6,
                 @Nullable String region, @Nullable String size, String loginUser) {
}
