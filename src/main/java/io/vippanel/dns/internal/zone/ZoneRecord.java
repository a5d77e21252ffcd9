package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;

/**
 * One validated record in the canonical form of {@link io.vippanel.dns.internal.provider.RecordSet}.
 *
 * @param name    absolute, lower case, without the trailing dot
 * @param ttl     seconds, within {@link RecordInput#MIN_TTL} and {@link RecordInput#MAX_TTL}
 * @param content RFC 1035 presentation format, host names absolute with the trailing dot
 */
public record ZoneRecord(String name, RecordType type, int ttl, String content) {
}
