package io.vippanel.dns.internal.zone;

import io.vippanel.dns.internal.provider.RecordSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a zone's record sets as a BIND master file that {@link ZoneFileParser} reads back into the same sets:
 * {@code $ORIGIN}, {@code $TTL} (the most common TTL), a header comment, then one line a record with owner names
 * relative to the origin ({@code @} for the apex), every TTL written out, and aligned columns. Record data stays as
 * stored (absolute names with the trailing dot). Sets are sorted apex first, then by name from the right-most label
 * (so a name's subdomains follow it), then by type in the order of {@link io.vippanel.dns.RecordType}.
 */
public final class ZoneFileWriter {

    private static final String PANEL = "VIP Hosting Panel";

    private ZoneFileWriter() {
    }

    /**
     * The zone file text.
     *
     * @param zone       the zone name, lower case, without the trailing dot
     * @param exportedAt shown in the header
     */
    public static String write(String zone, List<RecordSet> sets, Instant exportedAt) {
        List<RecordSet> sorted = new ArrayList<>(sets);
        sorted.sort(Comparator.comparing((RecordSet set) -> set.name(), ZoneFileWriter::compareNames)
                .thenComparing(RecordSet::type));
        List<String[]> rows = new ArrayList<>();
        for (RecordSet set : sorted) {
            for (String content : set.contents()) {
                rows.add(new String[] {relative(zone, set.name()), Integer.toString(set.ttl()), "IN", set.type().name(), content});
            }
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("; Zone: ").append(zone).append('\n')
                .append("; Exported at ").append(exportedAt.truncatedTo(ChronoUnit.SECONDS)).append(" by ").append(PANEL).append(".\n")
                .append("; The DNS provider keeps the SOA and the NS records at the apex; they are not in this file.\n")
                .append("$ORIGIN ").append(zone).append(".\n")
                .append("$TTL ").append(commonTtl(sets)).append("\n\n");
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                out.append(i == 1 ? padLeft(row[i], widths[i]) : padRight(row[i], widths[i])).append("  ");
            }
            out.append(row[4]).append('\n');
        }
        return out.toString();
    }

    private static String relative(String zone, String name) {
        if (name.equals(zone)) {
            return "@";
        }
        return name.endsWith("." + zone) ? name.substring(0, name.length() - zone.length() - 1) : name + ".";
    }

    private static int compareNames(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int order = a[a.length - i].compareTo(b[b.length - i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** The TTL most records have (the lower one on a tie), or the default for an empty zone. */
    private static int commonTtl(List<RecordSet> sets) {
        Map<Integer, Long> counts = sets.stream().collect(Collectors.groupingBy(RecordSet::ttl,
                Collectors.summingLong(set -> set.contents().size())));
        return counts.entrySet().stream()
                .max(Comparator.comparing(Map.Entry<Integer, Long>::getValue).thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .orElse(RecordInput.DEFAULT_TTL);
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(width - text.length()) + text;
    }

    private static String padRight(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
