/**
 * DNS records as people type them and as zone files hold them: validation into the canonical presentation format of
 * {@link io.vippanel.dns.internal.provider.RecordSet}, zone-wide rules, and BIND zone file import and export.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.dns.internal.zone;
