package io.vippanel.dns;

import org.jspecify.annotations.Nullable;

/**
 * A DNS account as typed into the form or the API; which fields count depends on {@code kind}:
 * PowerDNS {@code apiUrl}, {@code apiKey}, {@code serverId}, {@code nameservers} (one per line or comma separated) and
 * optionally {@code checkServers}; Cloudflare {@code apiToken} and optionally {@code accountId}; Route53
 * {@code accessKeyId} and {@code secretAccessKey}.
 */
public record NewDnsAccount(@Nullable String kind, @Nullable String name, boolean shared,
                            @Nullable String apiUrl, @Nullable String apiKey, @Nullable String serverId,
                            @Nullable String nameservers, @Nullable String checkServers,
                            @Nullable String apiToken, @Nullable String accountId,
                            @Nullable String accessKeyId, @Nullable String secretAccessKey) {
}
