package io.vippanel.dns.internal.zone;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** IP address literals read as text only: nothing here ever looks a name up. */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final int GROUPS = 8;

    private IpLiterals() {
    }

    /** Four decimal numbers 0..255 without leading zeros (which some tools read as octal). */
    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** The RFC 5952 form of an IPv6 literal (lower case, shortest, {@code ::ffff:192.0.2.1} for mapped IPv4), or null. */
    static @Nullable String ipv6(String text) {
        int[] groups = ipv6Groups(text);
        return groups == null ? null : format(groups);
    }

    private static int @Nullable [] ipv6Groups(String text) {
        if (!IPV6_CHARS.matcher(text).matches() || !text.contains(":")) {
            return null;
        }
        String hex = text;
        int[] embedded = null;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            String dotted = text.substring(lastColon + 1);
            if (!isIpv4(dotted)) {
                return null;
            }
            String[] parts = dotted.split("\\.");
            embedded = new int[] {Integer.parseInt(parts[0]) << 8 | Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]) << 8 | Integer.parseInt(parts[3])};
            String prefix = text.substring(0, lastColon + 1);
            // The colon before the IPv4 part separates groups, unless it is the second half of a "::".
            hex = prefix.endsWith("::") ? prefix : prefix.substring(0, prefix.length() - 1);
        }
        int wanted = embedded == null ? GROUPS : GROUPS - 2;
        int[] head;
        int[] tail;
        int doubleColon = hex.indexOf("::");
        if (doubleColon >= 0) {
            if (hex.indexOf("::", doubleColon + 1) >= 0) {
                return null;
            }
            head = parseGroups(hex.substring(0, doubleColon));
            tail = parseGroups(hex.substring(doubleColon + 2));
            if (head == null || tail == null || head.length + tail.length >= wanted) {
                return null;
            }
        } else {
            head = parseGroups(hex);
            tail = new int[0];
            if (head == null || head.length != wanted) {
                return null;
            }
        }
        int[] groups = new int[GROUPS];
        System.arraycopy(head, 0, groups, 0, head.length);
        System.arraycopy(tail, 0, groups, wanted - tail.length, tail.length);
        if (embedded != null) {
            groups[6] = embedded[0];
            groups[7] = embedded[1];
        }
        return groups;
    }

    private static int @Nullable [] parseGroups(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] groups = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!GROUP.matcher(parts[i]).matches()) {
                return null;
            }
            groups[i] = Integer.parseInt(parts[i], 16);
        }
        return groups;
    }

    private static String format(int[] groups) {
        boolean mapped = groups[5] == 0xffff;
        for (int i = 0; i < 5; i++) {
            mapped &= groups[i] == 0;
        }
        if (mapped) {
            return "::ffff:" + (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "." + (groups[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; i++) {
            int length = 0;
            while (i + length < GROUPS && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
