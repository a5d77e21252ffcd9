package io.vippanel.dns;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Records changed in the panel and the job that gives them to the provider.
 *
 * @param records the records written (for an add or update), empty for a delete
 * @param jobId   the sync job, null when nothing changed
 * @param notes   what an import left out (unsupported types, the provider's own SOA and NS)
 */
public record RecordsChanged(List<DnsRecord> records, @Nullable String jobId, List<String> notes) {

    public RecordsChanged {
        records = List.copyOf(records);
        notes = List.copyOf(notes);
    }
}
