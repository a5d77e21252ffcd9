/**
 * Cloudflare's API v4 as a {@link io.vippanel.dns.internal.provider.DnsProvider}: zones, DNS records, and record
 * changes applied through the all-or-nothing {@code dns_records/batch} endpoint.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.dns.internal.provider.cloudflare;
