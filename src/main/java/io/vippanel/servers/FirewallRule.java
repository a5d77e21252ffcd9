package io.vippanel.servers;

import java.time.Instant;

/**
 * An inbound rule beyond the base set (SSH, HTTP, HTTPS, monitoring from the panel) every server has.
 *
 * @param port   one port ({@code 8080}) or a range ({@code 8000:8100})
 * @param source {@code any} or an IPv4/IPv6 address or CIDR block
 * @param status {@code pending} until the job applied it, {@code applied}, {@code removing}, or {@code failed}
 */
public record FirewallRule(String id, String serverId, String port, String protocol, String source, String comment,
                           String status, Instant createdAt) {
}
