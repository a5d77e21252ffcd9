package io.vippanel.dns.internal.provider;

/**
 * One change of a batch: {@link Replace} makes the RRset exactly {@code set} (creating it when missing),
 * {@link Delete} removes every record of that name and type (a missing RRset is not an error).
 */
public sealed interface RecordSetChange {

    String name();

    io.vippanel.dns.RecordType type();

    record Replace(RecordSet set) implements RecordSetChange {
        @Override
        public String name() {
            return set.name();
        }

        @Override
        public io.vippanel.dns.RecordType type() {
            return set.type();
        }
    }

    record Delete(String name, io.vippanel.dns.RecordType type) implements RecordSetChange {
    }
}
