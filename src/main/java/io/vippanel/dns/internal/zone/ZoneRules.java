package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rules that hold between the record sets of one zone, beyond each record's own rules ({@link RecordInput}). The NS
 * set at the apex is accepted here because providers list their own; {@link RecordInput} keeps people from editing it.
 */
public final class ZoneRules {

    private static final Set<RecordType> GLUE = EnumSet.of(RecordType.A, RecordType.AAAA);

    private ZoneRules() {
    }

    /**
     * The problems of the zone's record sets, in the order of the sets: a CNAME beside other records, more than one
     * CNAME value, a CNAME at the apex, records hidden below a delegated subzone (other than glue A/AAAA), a value
     * listed twice in one set, a null MX beside other MX values, and names outside the zone.
     *
     * @param zone the zone name, lower case, without the trailing dot
     */
    public static List<ZoneProblem> check(String zone, List<RecordSet> sets) {
        Map<String, Set<RecordType>> typesByName = new LinkedHashMap<>();
        Set<String> delegations = new HashSet<>();
        for (RecordSet set : sets) {
            typesByName.computeIfAbsent(set.name(), name -> EnumSet.noneOf(RecordType.class)).add(set.type());
            if (set.type() == RecordType.NS && !set.name().equals(zone)) {
                delegations.add(set.name());
            }
        }
        List<ZoneProblem> problems = new ArrayList<>();
        for (RecordSet set : sets) {
            if (!HostNames.insideZone(zone, set.name())) {
                problems.add(new ZoneProblem(set.name(), set.type(), set.name() + " is outside the zone " + zone + "."));
                continue;
            }
            duplicates(set, problems);
            if (set.type() == RecordType.CNAME) {
                cname(zone, set, typesByName.get(set.name()), problems);
            }
            if (set.type() == RecordType.MX && set.contents().size() > 1 && set.contents().contains("0 .")) {
                problems.add(problem(set, "A null MX (0 .) says " + set.name() + " receives no mail, so it must be the only MX "
                        + "record there."));
            }
            delegated(set, delegations, problems);
        }
        return problems;
    }

    private static void duplicates(RecordSet set, List<ZoneProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (String content : set.contents()) {
            if (!seen.add(content)) {
                problems.add(problem(set, "The " + set.type() + " record " + content + " of " + set.name() + " is listed twice."));
            }
        }
    }

    private static void cname(String zone, RecordSet set, Set<RecordType> typesAtName, List<ZoneProblem> problems) {
        if (set.name().equals(zone)) {
            problems.add(problem(set, "A CNAME cannot be at the zone apex; use an A/AAAA record or your provider's ALIAS."));
        }
        if (set.contents().size() > 1) {
            problems.add(problem(set, set.name() + " has " + set.contents().size() + " CNAME values; a name can have only one."));
        }
        Set<RecordType> others = EnumSet.copyOf(typesAtName);
        others.remove(RecordType.CNAME);
        if (!others.isEmpty()) {
            problems.add(problem(set, set.name() + " has a CNAME, so it can have no other records; it also has "
                    + others.stream().map(Enum::name).collect(Collectors.joining(", ")) + "."));
        }
    }

    /** Below a delegation resolvers ask the subzone's servers, so only glue addresses for them belong in this zone. */
    private static void delegated(RecordSet set, Set<String> delegations, List<ZoneProblem> problems) {
        for (String cut : delegations) {
            boolean atCut = set.name().equals(cut);
            boolean below = set.name().endsWith("." + cut);
            if ((atCut && set.type() != RecordType.NS && !GLUE.contains(set.type())) || (below && !GLUE.contains(set.type()))) {
                problems.add(problem(set, "The " + set.type() + " record of " + set.name() + " is " + (atCut ? "at" : "below")
                        + " the delegated subzone " + cut + " (NS), so resolvers never see it; only glue A/AAAA records for "
                        + "the subzone's name servers may be there. Create it in the subzone instead."));
                return;
            }
        }
    }

    private static ZoneProblem problem(RecordSet set, String message) {
        return new ZoneProblem(set.name(), set.type(), message);
    }
}
