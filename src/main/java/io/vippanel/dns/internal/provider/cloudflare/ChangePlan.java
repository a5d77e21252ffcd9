package io.vippanel.dns.internal.provider.cloudflare;

import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Batch;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Content;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.NewRecord;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Record;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.RecordId;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.RecordPatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fewest record operations that turn a zone's Cloudflare records into what the changes want. Cloudflare keeps
 * records one by one, each with its own id, TTL and proxying; a record whose value stays is left alone, a changed
 * value takes over a record that is going away (a patch of content and TTL only, so proxying is kept), and only
 * what remains is created or deleted.
 */
final class ChangePlan {

    private final List<RecordId> deletes = new ArrayList<>();
    private final List<RecordPatch> patches = new ArrayList<>();
    private final List<NewRecord> posts = new ArrayList<>();

    private ChangePlan() {
    }

    /**
     * @param existing every record of the zone as Cloudflare lists it
     * @throws IllegalArgumentException when two changes are for the same name and type
     */
    static Batch plan(List<Record> existing, List<RecordSetChange> changes) {
        ChangePlan plan = new ChangePlan();
        Set<String> planned = new HashSet<>();
        for (RecordSetChange change : changes) {
            String key = CloudflareRecords.key(change.name(), change.type().name());
            if (!planned.add(key)) {
                throw new IllegalArgumentException("the changes name [" + key + "] more than once");
            }
            List<Record> current = existing.stream()
                    .filter(record -> CloudflareRecords.key(record.name(), record.type()).equals(key))
                    .toList();
            switch (change) {
                case RecordSetChange.Replace replace -> plan.replace(current, replace.set());
                case RecordSetChange.Delete delete -> current.forEach(plan::delete);
            }
        }
        return new Batch(plan.deletes, plan.patches, plan.posts);
    }

    private void replace(List<Record> current, RecordSet wanted) {
        List<Record> leaving = new ArrayList<>(current);
        List<String> missing = new ArrayList<>();
        for (String value : new LinkedHashSet<>(wanted.contents())) {
            Record same = leaving.stream().filter(r -> CloudflareRecords.presentation(r).equals(value)).findFirst()
                    .orElse(null);
            if (same == null) {
                missing.add(value);
                continue;
            }
            leaving.remove(same);
            if (!same.proxied() && CloudflareRecords.ttl(same) != wanted.ttl()) {
                patches.add(new RecordPatch(same.id(), null, null, null, wanted.ttl()));
            }
        }
        for (String value : missing) {
            Content content = CloudflareRecords.content(wanted.type(), value);
            if (leaving.isEmpty()) {
                posts.add(new NewRecord(wanted.name(), wanted.type().name(), content.content(), content.priority(),
                        content.data(), wanted.ttl(), false));
            } else {
                Record reused = leaving.removeFirst();
                // Cloudflare keeps proxied records at an automatic TTL.
                Integer ttl = reused.proxied() ? null : wanted.ttl();
                patches.add(new RecordPatch(reused.id(), content.content(), content.priority(), content.data(), ttl));
            }
        }
        leaving.forEach(this::delete);
    }

    private void delete(Record record) {
        deletes.add(new RecordId(record.id()));
    }
}
