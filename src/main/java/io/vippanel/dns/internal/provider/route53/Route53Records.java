package io.vippanel.dns.internal.provider.route53;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Translates between the panel's record sets and Route 53's.
 *
 * <p>Route 53 keeps record values in presentation format already (TXT as quoted strings, MX {@code 10 host.}, CAA
 * {@code 0 issue "ca"}), so values pass through unchanged. Names differ: Route 53's are absolute with the trailing
 * dot, and it answers with every character other than {@code a-z0-9-_.} as a three-digit octal escape
 * ({@code \052} for the {@code *} of a wildcard).
 */
final class Route53Records {

    private static final String HOSTED_ZONE_PREFIX = "/hostedzone/";
    private static final Set<String> PANEL_TYPES = Arrays.stream(RecordType.values()).map(RecordType::name)
            .collect(Collectors.toUnmodifiableSet());

    private Route53Records() {
    }

    /** The record set as the panel sees it; empty for what the panel does not manage. */
    static Optional<RecordSet> toRecordSet(ResourceRecordSet set) {
        if (!isPanelManaged(set)) {
            return Optional.empty();
        }
        return Optional.of(new RecordSet(panelName(set.name()), RecordType.valueOf(set.typeAsString()),
                Math.toIntExact(set.ttl()), set.resourceRecords().stream().map(ResourceRecord::value).toList()));
    }

    /**
     * Whether the panel can show and edit the set: a plain set of a type it knows. SOA belongs to Route 53; alias
     * sets and sets with a routing policy (weighted, latency, failover, geolocation: those with a set identifier)
     * have no equivalent in {@link RecordSet}.
     */
    static boolean isPanelManaged(ResourceRecordSet set) {
        return PANEL_TYPES.contains(set.typeAsString()) && set.aliasTarget() == null && set.setIdentifier() == null
                && set.ttl() != null;
    }

    static ResourceRecordSet toResourceRecordSet(RecordSet set) {
        return ResourceRecordSet.builder()
                .name(absolute(set.name()))
                .type(set.type().name())
                .ttl((long) set.ttl())
                .resourceRecords(set.contents().stream().map(value -> ResourceRecord.builder().value(value).build())
                        .toList())
                .build();
    }

    /** Route 53's form of a name: absolute, with the trailing dot. */
    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** The panel's form of a name Route 53 sent: escapes decoded, lower case, without the trailing dot. */
    static String panelName(String route53Name) {
        String decoded = decodeEscapes(route53Name).toLowerCase(Locale.ROOT);
        return decoded.endsWith(".") ? decoded.substring(0, decoded.length() - 1) : decoded;
    }

    /** A hosted zone id without the {@code /hostedzone/} prefix that some answers carry. */
    static String zoneId(String hostedZoneId) {
        return hostedZoneId.startsWith(HOSTED_ZONE_PREFIX) ? hostedZoneId.substring(HOSTED_ZONE_PREFIX.length())
                : hostedZoneId;
    }

    /** Escapes stand for bytes of the name's UTF-8 form, so they are decoded as bytes. */
    private static String decodeEscapes(String name) {
        if (name.indexOf('\\') < 0) {
            return name;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
        int i = 0;
        while (i < name.length()) {
            if (name.charAt(i) == '\\' && i + 3 < name.length() && isOctalEscape(name, i)) {
                bytes.write(Integer.parseInt(name.substring(i + 1, i + 4), 8));
                i += 4;
            } else {
                int codePoint = name.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctalEscape(String name, int backslash) {
        for (int digit = backslash + 1; digit <= backslash + 3; digit++) {
            char c = name.charAt(digit);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
