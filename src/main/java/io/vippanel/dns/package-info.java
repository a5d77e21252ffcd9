/**
 * DNS: provider accounts (PowerDNS, Cloudflare, Route53), zones and their records, propagation checks, DNSSEC and
 * drift detection. The panel keeps each zone's records as the wanted state and applies changes to the provider one
 * batch per zone; what the provider holds is compared with it, never overwritten silently.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.dns;
