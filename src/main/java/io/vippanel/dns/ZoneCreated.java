package io.vippanel.dns;

import java.util.List;

/** A zone just written {@code pending}, the job creating it at the provider, and what an imported file left out. */
public record ZoneCreated(DnsZone zone, String jobId, List<String> importNotes) {

    public ZoneCreated {
        importNotes = List.copyOf(importNotes);
    }
}
