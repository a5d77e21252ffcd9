package io.vippanel.dns.internal;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks DNS servers directly, the way a visitor's resolver would, whether they answer what the panel wrote: each
 * record set exactly (the same values, in any order), or nothing for a deleted set. Polls until every server answers
 * every set, or the time is up; progress goes to a callback (the job log).
 */
public final class PropagationCheck {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

    private final Clock clock;
    private final Duration timeout;
    private final Duration interval;

    public PropagationCheck(Clock clock, Duration timeout, Duration interval) {
        this.clock = clock;
        this.timeout = timeout;
        this.interval = interval;
    }

    /** A server to ask, named as the user knows it. */
    public record Target(String label, InetSocketAddress address, boolean recursive) {
    }

    /** What one check found: per server, the sets still answered otherwise (empty when all agree). */
    public record Outcome(boolean complete, Map<String, List<String>> waitingByServer, Duration took) {
    }

    /**
     * The servers to ask: the account's check servers when it names them, otherwise the zone's name servers (their
     * addresses looked up), plus the configured public resolvers.
     *
     * @return targets, and what could not be turned into one (a name server without an address)
     */
    public static Targets targets(List<String> checkServers, List<String> nameservers, List<String> publicResolvers) {
        List<Target> targets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String server : checkServers.isEmpty() ? nameservers : checkServers) {
            try {
                targets.add(new Target(server, address(server), false));
            } catch (UnknownHostException e) {
                problems.add(server + " has no address");
            }
        }
        for (String resolver : publicResolvers) {
            try {
                targets.add(new Target(resolver + " (resolver)", address(resolver), true));
            } catch (UnknownHostException e) {
                problems.add(resolver + " has no address");
            }
        }
        return new Targets(List.copyOf(targets), List.copyOf(problems));
    }

    public record Targets(List<Target> targets, List<String> problems) {
    }

    /**
     * Polls every target until it answers each expected set.
     *
     * @param expected the sets as they must be answered; a set with no contents must not be answered at all
     * @param progress receives one line per round that changed something
     * @param cancelled polled between rounds
     */
    public Outcome await(List<Target> targets, List<RecordSet> expected, Consumer<String> progress,
                         java.util.function.BooleanSupplier cancelled) {
        Instant started = clock.instant();
        Instant deadline = started.plus(timeout);
        Map<String, List<String>> waiting = new LinkedHashMap<>();
        String lastReport = "";
        while (true) {
            waiting.clear();
            for (Target target : targets) {
                List<String> missing = new ArrayList<>();
                for (RecordSet set : expected) {
                    if (!answers(target, set)) {
                        missing.add(set.name() + " " + set.type());
                    }
                }
                if (!missing.isEmpty()) {
                    waiting.put(target.label(), missing);
                }
            }
            int done = targets.size() - waiting.size();
            String report = done + " of " + targets.size() + " servers answer all " + expected.size() + " changed record sets"
                    + (waiting.isEmpty() ? "." : "; waiting for " + describe(waiting));
            if (!report.equals(lastReport)) {
                progress.accept(report);
                lastReport = report;
            }
            Duration took = Duration.between(started, clock.instant());
            if (waiting.isEmpty() || clock.instant().isAfter(deadline) || cancelled.getAsBoolean()) {
                return new Outcome(waiting.isEmpty(), Map.copyOf(waiting), took);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, Map.copyOf(waiting), took);
            }
        }
    }

    /** Whether the target answers the zone's SOA (it serves the zone) or not at all (the zone is gone from it). */
    public static boolean servesZone(Target target, String zone) {
        Message response = query(target, zone, Type.SOA);
        return response != null && response.getRcode() == Rcode.NOERROR
                && response.getSection(Section.ANSWER).stream().anyMatch(record -> record.getType() == Type.SOA);
    }

    /** Whether the target answers at least one record of the type (given by its mnemonic, e.g. {@code DNSKEY}). */
    public static boolean hasAnswer(Target target, String name, String type) {
        int code = Type.value(type);
        Message response = query(target, name, code);
        return response != null && response.getSection(Section.ANSWER).stream().anyMatch(record -> record.getType() == code);
    }

    /** Whether the target answers exactly the set's values (nothing, for a set without values). */
    static boolean answers(Target target, RecordSet set) {
        Message response = query(target, set.name(), Type.value(set.type().name()));
        if (response == null) {
            return false;
        }
        Set<String> answered = new TreeSet<>();
        // A delegation's NS set is answered as a referral, in the authority section.
        List<Record> records = new ArrayList<>(response.getSection(Section.ANSWER));
        if (set.type() == RecordType.NS) {
            records.addAll(response.getSection(Section.AUTHORITY));
        }
        for (Record record : records) {
            if (record.getType() == Type.value(set.type().name()) && record.getName().toString().equalsIgnoreCase(set.name() + ".")) {
                answered.add(canonical(record));
            }
        }
        try {
            return answered.equals(canonical(set));
        } catch (IOException e) {
            return false;
        }
    }

    /** The set's values in dnsjava's own presentation, so that both sides are written the same way. */
    static Set<String> canonical(RecordSet set) throws IOException {
        Set<String> values = new TreeSet<>();
        Name owner = Name.fromString(set.name() + ".");
        for (String content : set.contents()) {
            values.add(canonical(Record.fromString(owner, Type.value(set.type().name()), DClass.IN, set.ttl(), content, Name.root)));
        }
        return values;
    }

    private static String canonical(Record record) {
        return record.rdataToString().toLowerCase(java.util.Locale.ROOT);
    }

    private static @Nullable Message query(Target target, String name, int type) {
        try {
            SimpleResolver resolver = new SimpleResolver(target.address());
            resolver.setTimeout(QUERY_TIMEOUT);
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
            if (!target.recursive()) {
                query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
            }
            return resolver.send(query);
        } catch (TextParseException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static InetSocketAddress address(String server) throws UnknownHostException {
        String host = server;
        int port = 53;
        int colon = server.lastIndexOf(':');
        if (server.startsWith("[")) {
            int end = server.indexOf(']');
            host = server.substring(1, end);
            if (end + 1 < server.length() && server.charAt(end + 1) == ':') {
                port = Integer.parseInt(server.substring(end + 2));
            }
        } else if (colon > 0 && server.indexOf(':') == colon) {
            host = server.substring(0, colon);
            port = Integer.parseInt(server.substring(colon + 1));
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static String describe(Map<String, List<String>> waiting) {
        StringBuilder text = new StringBuilder();
        waiting.forEach((server, sets) -> {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(server).append(" (").append(sets.size() <= 3 ? String.join(", ", sets) : sets.size() + " sets").append(')');
        });
        return text.toString();
    }

    /** For a check of deleted sets: the set with no values, which must not be answered. */
    public static RecordSet absent(String name, RecordType type) {
        return new RecordSet(name, type, 0, List.of());
    }
}
