package io.vippanel.dns.internal.zone;

import java.util.Map;

/** The outcome of checking one typed record: the normalised record, or what is wrong with each field. */
public sealed interface RecordCheck {

    /** The record passed every rule. */
    record Valid(ZoneRecord record) implements RecordCheck {
    }

    /** Messages keyed by the fields {@link RecordInput} names ({@code name}, {@code type}, {@code ttl}, {@code content}). */
    record Invalid(Map<String, String> fieldErrors) implements RecordCheck {

        public Invalid {
            fieldErrors = Map.copyOf(fieldErrors);
        }
    }
}
