package io.vippanel.dns;

import org.jspecify.annotations.Nullable;

/**
 * One record value of a zone.
 *
 * @param name    the owner name, absolute without the trailing dot
 * @param content the value in presentation format (host names absolute with the trailing dot, TXT quoted)
 * @param siteId  the site the panel made it for (its A/AAAA), null for records people made
 * @param pending whether its record set waits to be taken by the provider
 */
public record DnsRecord(String id, String zoneId, String name, RecordType type, int ttl, String content,
                        @Nullable String siteId, boolean pending) {

    /** The name relative to the zone, {@code @} for the apex, as zone files and editors show it. */
    public String relativeName(String zone) {
        if (name.equals(zone)) {
            return "@";
        }
        return name.endsWith("." + zone) ? name.substring(0, name.length() - zone.length() - 1) : name + ".";
    }
}
