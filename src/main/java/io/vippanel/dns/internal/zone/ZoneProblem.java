package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;

/** A zone-wide rule that a record set breaks, named by the set's owner name and type. */
public record ZoneProblem(String name, RecordType type, String message) {
}
