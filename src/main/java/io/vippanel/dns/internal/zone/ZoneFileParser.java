package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.zone.ZoneFileLexer.Entry;
import io.vippanel.dns.internal.zone.ZoneFileLexer.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads an RFC 1035 master file, as BIND, PowerDNS ({@code pdnsutil list-zone}) and Cloudflare export them, into the
 * panel's record sets.
 *
 * <p>Understood: {@code $ORIGIN}, {@code $TTL}, {@code @}, relative and absolute names, a blank owner repeating the
 * previous one, TTL and class {@code IN} in either order, TTL units ({@code 1h}, {@code 1d}, {@code 1w}), parentheses
 * across lines, {@code ;} comments, quoted strings with escapes. A record without a TTL takes {@code $TTL}, else the
 * previous record's TTL, else {@value RecordInput#DEFAULT_TTL}.
 *
 * <p>Decisions: the SOA and the NS records at the apex belong to the provider and are left out with a note; types
 * the panel does not manage (PTR, DS, HINFO, ...) are skipped with a note, so one such record does not stop an
 * import. A TTL outside {@value RecordInput#MIN_TTL}..{@value RecordInput#MAX_TTL} is raised or lowered to the limit with
 * a note (Cloudflare exports its "automatic" TTL as 1). Values of one name and type become one set whose TTL is the
 * lowest of them (resolvers use the lowest TTL of a set, RFC 2181 section 5.2), with a note when they differed; a value
 * repeated is kept once with a note. Every record is checked by {@link RecordInput} and the sets by {@link ZoneRules};
 * what breaks a rule is an error with its line.
 */
public final class ZoneFileParser {

    public static final int MAX_BYTES = 1_048_576;
    public static final int MAX_RECORDS = 10_000;

    private static final Pattern TYPE_WORD = Pattern.compile("[A-Z][A-Z0-9-]*");
    /** Types other tools export that the panel does not manage: skipped with a note rather than refused. */
    private static final Set<String> SKIPPED_TYPES = Set.of("PTR", "DS", "DNSKEY", "CDS", "CDNSKEY", "RRSIG", "NSEC", "NSEC3",
            "NSEC3PARAM", "HINFO", "SSHFP", "TLSA", "SMIMEA", "OPENPGPKEY", "NAPTR", "SPF", "LOC", "RP", "AFSDB", "CERT",
            "DNAME", "HTTPS", "SVCB", "URI", "ALIAS", "ANAME", "LUA", "KEY", "SIG", "ZONEMD", "CSYNC", "APL", "DHCID",
            "IPSECKEY", "KX");

    private final String zone;
    private final List<LineMessage> errors = new ArrayList<>();
    private final List<LineMessage> notes = new ArrayList<>();
    private final Map<String, SetBuilder> sets = new LinkedHashMap<>();
    private String origin;
    private @Nullable Integer defaultTtl;
    private @Nullable Integer previousTtl;
    private @Nullable String previousOwner;
    private int recordCount;

    private ZoneFileParser(String zone) {
        this.zone = zone;
        this.origin = zone + ".";
    }

    /**
     * Parses a zone file for the zone.
     *
     * @param zone the zone name, lower case, without the trailing dot; the origin until a {@code $ORIGIN}
     * @param text the file, at most {@value #MAX_BYTES} bytes (UTF-8) and {@value #MAX_RECORDS} records
     */
    public static ZoneImport parse(String zone, String text) {
        if (text.length() > MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return new ZoneImport(List.of(), List.of(new LineMessage(0, "The zone file is larger than 1 MB; import at most "
                    + MAX_BYTES + " bytes (" + MAX_RECORDS + " records) at a time.")), List.of());
        }
        ZoneFileParser parser = new ZoneFileParser(zone);
        ZoneFileLexer lexer = ZoneFileLexer.lex(text);
        parser.errors.addAll(lexer.errors());
        for (Entry entry : lexer.entries()) {
            if (parser.recordCount >= MAX_RECORDS) {
                parser.errors.add(new LineMessage(entry.line(), "the zone file has more than " + MAX_RECORDS
                        + " records; import at most " + MAX_RECORDS + " at a time."));
                break;
            }
            parser.entry(entry);
        }
        return parser.result();
    }

    private void entry(Entry entry) {
        List<Token> tokens = entry.tokens();
        if (!entry.ownerOmitted() && tokens.getFirst().text().startsWith("$")) {
            directive(entry.line(), tokens);
            return;
        }
        String owner;
        int next = 0;
        if (entry.ownerOmitted()) {
            if (previousOwner == null) {
                errors.add(new LineMessage(entry.line(), "the line starts with a space, so it repeats the previous owner name, "
                        + "but no record comes before it."));
                return;
            }
            owner = previousOwner;
        } else {
            owner = absolute(tokens.getFirst().text());
            previousOwner = owner;
            next = 1;
        }
        Integer ttl = null;
        boolean classSeen = false;
        while (next < tokens.size() && !tokens.get(next).quoted()) {
            String word = tokens.get(next).text();
            if (ttl == null && Ttls.looksLikeTtl(word)) {
                OptionalInt seconds = Ttls.seconds(word);
                if (seconds.isEmpty()) {
                    errors.add(new LineMessage(entry.line(), "the TTL [" + HostNames.shorten(word) + "] is too large."));
                    return;
                }
                ttl = seconds.getAsInt();
            } else if (!classSeen && isClass(word)) {
                if (!word.equalsIgnoreCase("IN")) {
                    errors.add(new LineMessage(entry.line(), "only class IN records can be imported, not " + word + "."));
                    return;
                }
                classSeen = true;
            } else {
                break;
            }
            next++;
        }
        if (next >= tokens.size()) {
            errors.add(new LineMessage(entry.line(), "the record has no type and no data."));
            return;
        }
        record(entry.line(), owner, ttl, tokens.get(next).text().toUpperCase(Locale.ROOT), tokens.subList(next + 1, tokens.size()));
    }

    private static boolean isClass(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "IN", "CH", "CS", "HS" -> true;
            default -> false;
        };
    }

    private void directive(int line, List<Token> tokens) {
        String name = tokens.getFirst().text().toUpperCase(Locale.ROOT);
        switch (name) {
            case "$ORIGIN" -> {
                if (tokens.size() != 2) {
                    errors.add(new LineMessage(line, "$ORIGIN takes one name, such as $ORIGIN example.com."));
                } else {
                    origin = absolute(tokens.get(1).text());
                }
            }
            case "$TTL" -> {
                OptionalInt seconds = tokens.size() == 2 ? Ttls.seconds(tokens.get(1).text()) : OptionalInt.empty();
                if (seconds.isEmpty()) {
                    errors.add(new LineMessage(line, "$TTL takes one TTL, such as $TTL 3600 or $TTL 1h."));
                } else {
                    defaultTtl = seconds.getAsInt();
                }
            }
            case "$INCLUDE" -> errors.add(new LineMessage(line, "$INCLUDE is not supported; paste the included file's records "
                    + "in its place."));
            default -> errors.add(new LineMessage(line, "the directive " + HostNames.shorten(name) + " is not supported; "
                    + "use $ORIGIN and $TTL."));
        }
    }

    /** A name of the file, absolute with the trailing dot: {@code @} is the origin, a name without a dot is relative. */
    private String absolute(String name) {
        if (name.equals("@")) {
            return origin;
        }
        if (name.endsWith(".")) {
            return name;
        }
        return origin.equals(".") ? name + "." : name + "." + origin;
    }

    private void record(int line, String owner, @Nullable Integer ttl, String type, List<Token> data) {
        String ownerName = owner.length() > 1 ? owner.substring(0, owner.length() - 1).toLowerCase(Locale.ROOT) : owner;
        if (type.equals("SOA")) {
            notes.add(new LineMessage(line, "the SOA record is ignored: the DNS provider keeps the zone's SOA."));
            return;
        }
        RecordType recordType = recordType(type);
        if (recordType == null) {
            if (SKIPPED_TYPES.contains(type) || type.matches("TYPE\\d+")) {
                notes.add(new LineMessage(line, "skipped the " + type + " record of " + ownerName + ": the panel manages only "
                        + supportedTypes() + " records."));
            } else if (TYPE_WORD.matcher(type).matches()) {
                errors.add(new LineMessage(line, "[" + HostNames.shorten(type) + "] is not a record type; the panel manages "
                        + supportedTypes() + "."));
            } else {
                errors.add(new LineMessage(line, "expected a record type after the name, TTL and class, found ["
                        + HostNames.shorten(type) + "]."));
            }
            return;
        }
        if (recordType == RecordType.NS && ownerName.equals(zone)) {
            notes.add(new LineMessage(line, "the NS record at the zone apex is ignored: the DNS provider sets the zone's own "
                    + "name servers."));
            return;
        }
        recordCount++;
        int seconds = ttl(line, ttl);
        String content = content(recordType, data);
        switch (RecordInput.check(zone, owner, recordType, seconds, content)) {
            case RecordCheck.Valid valid -> add(line, valid.record());
            case RecordCheck.Invalid invalid -> invalid.fieldErrors().values().forEach(message ->
                    errors.add(new LineMessage(line, ownerName + " " + recordType + ": " + message)));
        }
    }

    private static @Nullable RecordType recordType(String type) {
        for (RecordType candidate : RecordType.values()) {
            if (candidate.name().equals(type)) {
                return candidate;
            }
        }
        return null;
    }

    private static String supportedTypes() {
        return Arrays.stream(RecordType.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private int ttl(int line, @Nullable Integer given) {
        Integer chosen = given != null ? given : defaultTtl != null ? defaultTtl : previousTtl;
        if (chosen == null) {
            notes.add(new LineMessage(line, "no TTL and no $TTL before this record; it gets " + RecordInput.DEFAULT_TTL
                    + " seconds."));
            chosen = RecordInput.DEFAULT_TTL;
        }
        previousTtl = chosen;
        int limited = Math.clamp(chosen, RecordInput.MIN_TTL, RecordInput.MAX_TTL);
        if (limited != chosen) {
            notes.add(new LineMessage(line, "the TTL " + chosen + " is outside " + RecordInput.MIN_TTL + " to "
                    + RecordInput.MAX_TTL + " seconds; it becomes " + limited + "."));
        }
        return limited;
    }

    /**
     * The record data as {@link RecordInput} reads it: host names made absolute against the origin, and every TXT
     * word quoted (unquoted words are separate strings in a zone file).
     */
    private String content(RecordType type, List<Token> data) {
        List<String> words = new ArrayList<>();
        int hostIndex = switch (type) {
            case CNAME, NS -> 0;
            case MX -> 1;
            case SRV -> 3;
            default -> -1;
        };
        for (int i = 0; i < data.size(); i++) {
            Token token = data.get(i);
            if (i == hostIndex && !token.quoted() && !token.text().equals(".")) {
                words.add(absolute(token.text()));
            } else if (type == RecordType.TXT && !token.quoted()) {
                words.add("\"" + token.text() + "\"");
            } else {
                words.add(token.source());
            }
        }
        return String.join(" ", words);
    }

    private void add(int line, ZoneRecord record) {
        SetBuilder set = sets.computeIfAbsent(record.name() + " " + record.type(), key -> new SetBuilder(record, line));
        if (!set.contents.add(record.content())) {
            notes.add(new LineMessage(line, "the " + record.type() + " record " + record.content() + " of " + record.name()
                    + " appears again; it is kept once."));
        } else if (record.ttl() != set.ttl) {
            int lowest = Math.min(set.ttl, record.ttl());
            notes.add(new LineMessage(line, "the " + record.type() + " records of " + record.name() + " have TTLs " + set.ttl
                    + " and " + record.ttl() + "; the set gets the lowest, " + lowest + " seconds."));
            set.ttl = lowest;
        }
    }

    private ZoneImport result() {
        List<RecordSet> records = new ArrayList<>();
        Map<String, Integer> firstLines = new LinkedHashMap<>();
        for (SetBuilder set : sets.values()) {
            records.add(new RecordSet(set.name, set.type, set.ttl, List.copyOf(set.contents)));
            firstLines.put(set.name + " " + set.type, set.line);
        }
        for (ZoneProblem problem : ZoneRules.check(zone, records)) {
            errors.add(new LineMessage(firstLines.get(problem.name() + " " + problem.type()), problem.message()));
        }
        errors.sort(Comparator.comparingInt(LineMessage::line));
        return new ZoneImport(records, errors, notes);
    }

    private static final class SetBuilder {

        private final String name;
        private final RecordType type;
        private final int line;
        private final Set<String> contents = new LinkedHashSet<>();
        private int ttl;

        SetBuilder(ZoneRecord first, int line) {
            this.name = first.name();
            this.type = first.type();
            this.ttl = first.ttl();
            this.line = line;
        }
    }
}
