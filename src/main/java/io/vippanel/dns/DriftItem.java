package io.vippanel.dns;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record set where the provider and the panel disagree.
 *
 * @param panelTtl    null when the panel has no such set (made at the provider outside the panel)
 * @param providerTtl null when the provider lacks the set the panel holds (deleted outside the panel)
 */
public record DriftItem(String name, RecordType type, @Nullable Integer panelTtl, List<String> panelContents,
                        @Nullable Integer providerTtl, List<String> providerContents) {

    public DriftItem {
        panelContents = List.copyOf(panelContents);
        providerContents = List.copyOf(providerContents);
    }

    public String what() {
        if (panelTtl == null) {
            return "only at the provider";
        }
        if (providerTtl == null) {
            return "missing at the provider";
        }
        return panelContents.equals(providerContents) ? "TTL differs" : "values differ";
    }
}
