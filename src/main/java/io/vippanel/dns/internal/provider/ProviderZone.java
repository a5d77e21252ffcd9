package io.vippanel.dns.internal.provider;

import java.util.List;

/**
 * A zone as the provider knows it.
 *
 * @param id          the provider's id for it (PowerDNS {@code example.com.}, Cloudflare's zone id, Route53's hosted
 *                    zone id without the {@code /hostedzone/} prefix)
 * @param name        the zone's name, lower case, without the trailing dot
 * @param nameservers the names of the zone's authoritative servers as the provider assigns or lists them, without the
 *                    trailing dot
 */
public record ProviderZone(String id, String name, List<String> nameservers) {

    public ProviderZone {
        nameservers = List.copyOf(nameservers);
    }
}
