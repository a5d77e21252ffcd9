package io.vippanel.dns.internal;

import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DriftItem;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.DnsProviderException;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.jobs.JobFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Compares what the provider holds with the panel's records and stores the differences on the zone. Sets waiting to
 * be applied and the apex NS set (the provider's own) are left out: they differ by design.
 */
@Component
public class DriftCheck {

    private final DnsWork work;

    public DriftCheck(DnsWork work) {
        this.work = work;
    }

    public List<DriftItem> check(DnsZone zone) {
        List<RecordSet> provider;
        try {
            provider = work.provider(zone).recordSets(work.providerZone(zone));
        } catch (DnsProviderException e) {
            throw DnsWork.failure(e);
        }
        List<RecordSet> panel = work.tx().call(() -> work.repository().wantedSets(zone.id()));
        Set<String> pending = work.tx().call(() -> work.repository().pendingSets(zone.id())).stream()
                .map(set -> set.name() + " " + set.type()).collect(Collectors.toSet());
        List<DriftItem> drift = compare(zone.name(), panel, provider, pending);
        work.tx().run(() -> work.repository().setDrift(zone.id(), drift, work.clock().instant()));
        return drift;
    }

    static List<DriftItem> compare(String zone, List<RecordSet> panel, List<RecordSet> provider, Set<String> pending) {
        Map<String, RecordSet> ours = index(zone, panel);
        Map<String, RecordSet> theirs = index(zone, provider);
        Set<String> keys = new TreeSet<>(ours.keySet());
        keys.addAll(theirs.keySet());
        List<DriftItem> drift = new ArrayList<>();
        for (String key : keys) {
            if (pending.contains(key)) {
                continue;
            }
            RecordSet mine = ours.get(key);
            RecordSet found = theirs.get(key);
            if (mine != null && found != null && mine.ttl() == found.ttl()
                    && new TreeSet<>(normalised(mine)).equals(new TreeSet<>(normalised(found)))) {
                continue;
            }
            RecordSet any = mine != null ? mine : found;
            drift.add(new DriftItem(any.name(), any.type(), mine == null ? null : mine.ttl(),
                    mine == null ? List.of() : mine.contents(), found == null ? null : found.ttl(),
                    found == null ? List.of() : found.contents()));
        }
        return drift;
    }

    private static Map<String, RecordSet> index(String zone, List<RecordSet> sets) {
        Map<String, RecordSet> index = new LinkedHashMap<>();
        for (RecordSet set : sets) {
            if (set.name().equals(zone) && set.type() == RecordType.NS) {
                continue;
            }
            index.put(set.name() + " " + set.type(), set);
        }
        return index;
    }

    /** Providers differ in case and in how they write equal values; compare them as DNS would. */
    private static List<String> normalised(RecordSet set) {
        try {
            return List.copyOf(PropagationCheck.canonical(set));
        } catch (java.io.IOException e) {
            throw JobFailure.permanent("A record of " + set.name() + " " + set.type() + " cannot be read: " + e.getMessage());
        }
    }
}
