package io.vippanel.dns.internal.zone;

import io.vippanel.dns.RecordType;
import java.util.List;
import java.util.stream.Collectors;

/** The content of each record type in canonical presentation format; a broken rule is a {@link BadValue}. */
final class RecordContent {

    static final int MAX_TXT_BYTES = 4000;

    private RecordContent() {
    }

    static String normalize(RecordType type, String content) {
        return switch (type) {
            case A -> ipv4(content);
            case AAAA -> ipv6(content);
            case CNAME -> HostNames.target(content, "target", false);
            case NS -> HostNames.target(content, "name server", false);
            case MX -> mx(content);
            case TXT -> txt(content);
            case SRV -> srv(content);
            case CAA -> CaaValues.normalize(content);
        };
    }

    private static String ipv4(String content) {
        if (IpLiterals.isIpv4(content)) {
            return content;
        }
        if (IpLiterals.ipv6(content) != null) {
            throw new BadValue("[" + HostNames.shorten(content) + "] is an IPv6 address; use an AAAA record for it.");
        }
        throw new BadValue("[" + HostNames.shorten(content) + "] is not an IPv4 address; enter four numbers from 0 to 255 "
                + "without leading zeros, such as 192.0.2.1 (a host name belongs in a CNAME record).");
    }

    private static String ipv6(String content) {
        String address = IpLiterals.ipv6(content);
        if (address != null) {
            return address;
        }
        if (IpLiterals.isIpv4(content)) {
            throw new BadValue("[" + content + "] is an IPv4 address; use an A record for it.");
        }
        throw new BadValue("[" + HostNames.shorten(content) + "] is not an IPv6 address; enter one such as 2001:db8::1 "
                + "(a host name belongs in a CNAME record).");
    }

    private static String mx(String content) {
        String[] parts = content.split("\\s+");
        if (parts.length != 2) {
            throw new BadValue("An MX record is a priority and a mail server, such as 10 mail.example.com (or 0 . for a "
                    + "domain that receives no mail).");
        }
        int priority = number(parts[0], "priority", 65_535);
        String host = HostNames.target(parts[1], "mail server", true);
        if (host.equals(".") && priority != 0) {
            throw new BadValue("A null MX (.), which says the domain receives no mail, must have priority 0: 0 .");
        }
        return priority + " " + host;
    }

    private static String srv(String content) {
        String[] parts = content.split("\\s+");
        if (parts.length != 4) {
            throw new BadValue("An SRV record is priority, weight, port and target, such as 10 5 5060 sip.example.com "
                    + "(target . when the service is not offered).");
        }
        int priority = number(parts[0], "priority", 65_535);
        int weight = number(parts[1], "weight", 65_535);
        int port = number(parts[2], "port", 65_535);
        return priority + " " + weight + " " + port + " " + HostNames.target(parts[3], "target", true);
    }

    static int number(String text, String what, int max) {
        if (text.matches("\\d{1,6}")) {
            int value = Integer.parseInt(text);
            if (value <= max) {
                return value;
            }
        }
        throw new BadValue("The " + what + " [" + HostNames.shorten(text) + "] must be a whole number from 0 to " + max + ".");
    }

    private static String txt(String content) {
        List<byte[]> strings;
        if (CharacterStrings.isQuoted(content)) {
            strings = CharacterStrings.parseQuoted(content);
            for (byte[] string : strings) {
                if (string.length > CharacterStrings.MAX_STRING_BYTES) {
                    throw new BadValue("One quoted string holds " + string.length + " bytes; each may hold at most "
                            + CharacterStrings.MAX_STRING_BYTES + ". Leave the quotes out and the panel splits the text for you.");
                }
            }
        } else {
            strings = CharacterStrings.split(content);
        }
        int total = strings.stream().mapToInt(string -> string.length).sum();
        if (total > MAX_TXT_BYTES) {
            throw new BadValue("The text is " + total + " bytes; a TXT record here holds at most " + MAX_TXT_BYTES
                    + " bytes of text.");
        }
        return strings.stream().map(CharacterStrings::quote).collect(Collectors.joining(" "));
    }
}
