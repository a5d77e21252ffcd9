package io.vippanel.dns.internal.zone;

import io.vippanel.dns.internal.provider.RecordSet;
import java.util.List;

/**
 * What a zone file holds for the panel.
 *
 * @param records the record sets that passed every record rule, merged by name and type
 * @param errors  syntax errors and broken rules, each with its line; apply nothing while there is one
 * @param notes   what was left out or adjusted on purpose (SOA, apex NS, unsupported types, TTLs), each with its line
 */
public record ZoneImport(List<RecordSet> records, List<LineMessage> errors, List<LineMessage> notes) {

    public ZoneImport {
        records = List.copyOf(records);
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
