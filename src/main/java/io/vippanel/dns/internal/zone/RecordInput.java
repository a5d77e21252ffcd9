package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;
import io.vippanel.platform.Validation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a record as a person types it (UI form or REST API) and normalises it into the canonical presentation
 * format of {@link io.vippanel.dns.internal.provider.RecordSet}. Nothing here resolves a name.
 *
 * <p>Errors are keyed by four fields, the ones the form and the API send:
 * <ul>
 *   <li>{@code name}: the owner name ({@code @} or blank for the apex, {@code www}, {@code www.example.com},
 *       {@code www.example.com.}), and rules about where a type may stand (CNAME or NS at the apex, SRV without
 *       {@code _service._proto});</li>
 *   <li>{@code type}: one of {@link RecordType};</li>
 *   <li>{@code ttl}: seconds or a unit ({@code 300}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 1w}),
 *       {@value #MIN_TTL} to {@value #MAX_TTL}; blank means {@value #DEFAULT_TTL};</li>
 *   <li>{@code content}: everything after the type, as in a zone file: MX {@code 10 mail.example.com},
 *       SRV {@code 10 5 5060 sip.example.com}, CAA {@code 0 issue "letsencrypt.org"}, TXT raw text or quoted
 *       strings. Priorities, weights and ports are part of it, so that the API needs no per-type fields.</li>
 * </ul>
 */
public final class RecordInput {

    public static final String NAME = "name";
    public static final String TYPE = "type";
    public static final String TTL = "ttl";
    public static final String CONTENT = "content";

    public static final int MIN_TTL = 60;
    public static final int MAX_TTL = 604_800;
    public static final int DEFAULT_TTL = 3_600;
    public static final int MAX_CONTENT_CHARS = 8_000;

    private static final String TYPES = Arrays.stream(RecordType.values()).map(Enum::name).collect(Collectors.joining(", "));

    private RecordInput() {
    }

    /**
     * Checks a typed record for the zone and records each field's error in {@code validation}.
     *
     * @param zone the zone name, lower case, without the trailing dot
     * @return the normalised record, or null when a field was refused
     */
    public static @Nullable ZoneRecord record(Validation validation, String zone, @Nullable String name, @Nullable String type,
                                              @Nullable String ttl, @Nullable String content) {
        return switch (check(zone, name, type, ttl, content)) {
            case RecordCheck.Valid valid -> valid.record();
            case RecordCheck.Invalid invalid -> {
                invalid.fieldErrors().forEach(validation::reject);
                yield null;
            }
        };
    }

    /** Checks a typed record for the zone (lower case, no trailing dot) without throwing. */
    public static RecordCheck check(String zone, @Nullable String name, @Nullable String type, @Nullable String ttl,
                                    @Nullable String content) {
        Map<String, String> errors = new LinkedHashMap<>();
        RecordType recordType = type(type == null ? "" : type.strip(), errors);
        int seconds = ttl(ttl == null ? "" : ttl.strip(), errors);
        return check(zone, name == null ? "" : name, recordType, seconds, content == null ? "" : content.strip(), errors);
    }

    /** Checks a record whose type and TTL are already typed values, as a zone file gives them. */
    static RecordCheck check(String zone, String name, RecordType type, int ttl, String content) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (ttl < MIN_TTL || ttl > MAX_TTL) {
            errors.put(TTL, ttlRange(Integer.toString(ttl)));
        }
        return check(zone, name, type, ttl, content.strip(), errors);
    }

    private static RecordCheck check(String zone, String typedName, @Nullable RecordType type, int ttl, String content,
                                     Map<String, String> errors) {
        String name = null;
        try {
            name = HostNames.owner(zone, typedName);
            if (type != null) {
                placement(zone, name, type);
            }
        } catch (BadValue e) {
            errors.put(NAME, e.getMessage());
        }
        String normalized = null;
        if (type != null) {
            try {
                normalized = content(type, content);
                if (type == RecordType.CNAME && normalized.equals(name + ".")) {
                    throw new BadValue("A CNAME cannot point at its own name.");
                }
            } catch (BadValue e) {
                errors.put(CONTENT, e.getMessage());
            }
        }
        if (!errors.isEmpty() || name == null || type == null || normalized == null) {
            return new RecordCheck.Invalid(errors);
        }
        return new RecordCheck.Valid(new ZoneRecord(name, type, ttl, normalized));
    }

    /** Rules about which names a type may have. */
    private static void placement(String zone, String name, RecordType type) {
        switch (type) {
            case CNAME -> {
                if (name.equals(zone)) {
                    throw new BadValue("A CNAME cannot be at the zone apex (it would hide the zone's other records); use an "
                            + "A/AAAA record or your provider's ALIAS.");
                }
            }
            case NS -> {
                if (name.equals(zone)) {
                    throw new BadValue("The NS records at the zone apex belong to the DNS provider and cannot be set here; "
                            + "an NS record below the apex (such as dev) delegates that subzone.");
                }
            }
            case SRV -> {
                String[] labels = name.split("\\.");
                int relativeLabels = labels.length - zone.split("\\.").length;
                if (relativeLabels < 2 || !isServiceLabel(labels[0]) || !isServiceLabel(labels[1])) {
                    throw new BadValue("An SRV record's name must start with _service._protocol, such as _sip._tcp or "
                            + "_imaps._tcp.mail.");
                }
            }
            default -> {
                // Every other type may stand at any name.
            }
        }
    }

    private static boolean isServiceLabel(String label) {
        return label.length() > 1 && label.startsWith("_");
    }

    private static String content(RecordType type, String content) {
        if (content.isEmpty()) {
            throw new BadValue("Enter the record's content.");
        }
        if (content.length() > MAX_CONTENT_CHARS) {
            throw new BadValue("The content is longer than " + MAX_CONTENT_CHARS + " characters.");
        }
        if (content.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new BadValue("Control characters such as line breaks or tabs are not allowed; put the content on one line.");
        }
        return RecordContent.normalize(type, content);
    }

    private static @Nullable RecordType type(String text, Map<String, String> errors) {
        try {
            return RecordType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put(TYPE, "Choose one of " + TYPES + ".");
            return null;
        }
    }

    private static int ttl(String text, Map<String, String> errors) {
        if (text.isEmpty()) {
            return DEFAULT_TTL;
        }
        OptionalInt seconds = Ttls.seconds(text);
        if (seconds.isEmpty()) {
            errors.put(TTL, "Enter the TTL in seconds (" + MIN_TTL + " to " + MAX_TTL + ") or with a unit, such as 5m, 1h or 1d.");
            return DEFAULT_TTL;
        }
        if (seconds.getAsInt() < MIN_TTL || seconds.getAsInt() > MAX_TTL) {
            errors.put(TTL, ttlRange(text));
        }
        return seconds.getAsInt();
    }

    private static String ttlRange(String text) {
        return "The TTL must be from " + MIN_TTL + " to " + MAX_TTL + " seconds (1 minute to 1 week); [" + HostNames.shorten(text)
                + "] is not.";
    }
}
