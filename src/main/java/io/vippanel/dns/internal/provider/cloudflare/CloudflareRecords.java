package io.vippanel.dns.internal.provider.cloudflare;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Content;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.Record;
import io.vippanel.dns.internal.provider.cloudflare.CloudflareJson.RecordData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates between the panel's presentation format ({@link RecordSet}) and Cloudflare's record fields: host names
 * without the trailing dot, MX's preference in {@code priority}, SRV and CAA in {@code data}, TXT as quoted
 * character strings (which Cloudflare takes and gives back as they are).
 */
final class CloudflareRecords {

    /** Cloudflare's TTL value for "automatic"; it serves such records with 300 seconds. */
    private static final int AUTOMATIC_TTL = 1;
    private static final int AUTOMATIC_TTL_SECONDS = 300;

    private static final int MAX_CHARACTER_STRING = 255;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CAA = Pattern.compile("(\\d+)\\s+([A-Za-z0-9]+)\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    private CloudflareRecords() {
    }

    /** The panel's type of a Cloudflare record type; empty for types the panel does not manage. */
    static Optional<RecordType> type(String cloudflareType) {
        return Arrays.stream(RecordType.values()).filter(type -> type.name().equals(cloudflareType)).findFirst();
    }

    /** The record sets the records form, in the order Cloudflare listed them; an RRset's TTL is its lowest. */
    static List<RecordSet> recordSets(List<Record> records) {
        Map<String, List<Record>> byNameAndType = new LinkedHashMap<>();
        for (Record record : records) {
            if (type(record.type()).isPresent()) {
                byNameAndType.computeIfAbsent(key(record.name(), record.type()), k -> new ArrayList<>()).add(record);
            }
        }
        return byNameAndType.values().stream().map(CloudflareRecords::recordSet).toList();
    }

    static String key(String name, String type) {
        return name.toLowerCase(Locale.ROOT) + " " + type;
    }

    /** The TTL the record is served with: automatic is 300 seconds. */
    static int ttl(Record record) {
        return record.ttl() == AUTOMATIC_TTL ? AUTOMATIC_TTL_SECONDS : record.ttl();
    }

    /** The record's data in presentation format. */
    static String presentation(Record record) {
        RecordType type = type(record.type()).orElseThrow(() ->
                new IllegalArgumentException("record type [" + record.type() + "] is not one the panel manages"));
        String content = Objects.requireNonNullElse(record.content(), "");
        RecordData data = record.data();
        return switch (type) {
            case A, AAAA -> content;
            case CNAME, NS -> absolute(content);
            case MX -> Objects.requireNonNullElse(record.priority(), 0) + " " + absolute(content);
            case TXT -> content.startsWith("\"") ? content : quote(content);
            case SRV -> data == null ? content : data.priority() + " " + data.weight() + " " + data.port() + " "
                    + absolute(Objects.requireNonNullElse(data.target(), "."));
            case CAA -> data == null ? content : data.flags() + " " + data.tag() + " "
                    + quote(Objects.requireNonNullElse(data.value(), ""));
        };
    }

    /**
     * Cloudflare's fields for one presentation value.
     *
     * @throws IllegalArgumentException when the value is not of the type's presentation format
     */
    static Content content(RecordType type, String presentation) {
        String value = presentation.strip();
        return switch (type) {
            case A, AAAA, TXT -> new Content(value, null, null);
            case CNAME, NS -> new Content(relative(value), null, null);
            case MX -> {
                String[] fields = fields(type, value, 2);
                yield new Content(relative(fields[1]), number(type, value, fields[0]), null);
            }
            case SRV -> {
                String[] fields = fields(type, value, 4);
                yield new Content(null, null, RecordData.srv(number(type, value, fields[0]),
                        number(type, value, fields[1]), number(type, value, fields[2]), relative(fields[3])));
            }
            case CAA -> {
                Matcher caa = CAA.matcher(value);
                if (!caa.matches()) {
                    throw invalid(type, value);
                }
                yield new Content(null, null, RecordData.caa(number(type, value, caa.group(1)), caa.group(2),
                        unquote(caa.group(3))));
            }
        };
    }

    private static RecordSet recordSet(List<Record> records) {
        Record first = records.getFirst();
        RecordType type = type(first.type()).orElseThrow();
        int ttl = records.stream().mapToInt(CloudflareRecords::ttl).min().orElseThrow();
        return new RecordSet(first.name().toLowerCase(Locale.ROOT), type, ttl,
                records.stream().map(CloudflareRecords::presentation).toList());
    }

    private static String[] fields(RecordType type, String value, int count) {
        String[] fields = WHITESPACE.split(value);
        if (fields.length != count) {
            throw invalid(type, value);
        }
        return fields;
    }

    private static int number(RecordType type, String value, String field) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw invalid(type, value);
        }
    }

    private static IllegalArgumentException invalid(RecordType type, String value) {
        return new IllegalArgumentException(type + " content [" + value + "] is not in presentation format");
    }

    /** Cloudflare names hosts without the trailing dot; the root ({@code .}, a null MX or SRV target) stays. */
    private static String relative(String name) {
        return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /**
     * Text as quoted character strings of at most 255 bytes each, split where Cloudflare's servers split text it
     * holds unquoted (records made before it took quoted strings, or in its dashboard).
     */
    private static String quote(String text) {
        List<String> strings = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            String character = new String(Character.toChars(text.codePointAt(i)));
            int size = character.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_CHARACTER_STRING) {
                strings.add(current.toString());
                current.setLength(0);
                bytes = 0;
            }
            current.append(character.equals("\"") || character.equals("\\") ? "\\" + character : character);
            bytes += size;
        }
        strings.add(current.toString());
        return String.join(" ", strings.stream().map(s -> "\"" + s + "\"").toList());
    }

    private static String unquote(String value) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
}
