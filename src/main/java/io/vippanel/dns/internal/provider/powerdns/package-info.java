/**
 * The PowerDNS Authoritative HTTP API ({@code /api/v1}) as a {@link io.vippanel.dns.internal.provider.DnsProvider}:
 * zones, record sets changed in one all-or-nothing PATCH, and DNSSEC signing with PowerDNS's own keys.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.dns.internal.provider.powerdns;
