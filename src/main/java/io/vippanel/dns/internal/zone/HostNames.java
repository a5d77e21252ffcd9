package io.vippanel.dns.internal.zone;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Owner names and target host names in their ASCII form: international labels become punycode, labels hold letters,
 * digits, hyphens (not first or last) and underscores ({@code _dmarc}, {@code _sip._tcp}).
 */
final class HostNames {

    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;
    static final String WILDCARD = "*";

    private static final Pattern LABEL = Pattern.compile("(?!-)[a-z0-9_-]+(?<!-)");

    private HostNames() {
    }

    /**
     * The absolute owner name (no trailing dot) of a name typed for a record in the zone: {@code @} or blank is the
     * apex, a name with a trailing dot is absolute, a name equal to the zone or ending in {@code .zone} is taken as
     * absolute too (people paste full names), anything else is relative to the zone.
     */
    static String owner(String zone, String typed) {
        String text = typed.strip();
        if (text.isEmpty() || text.equals("@")) {
            return zone;
        }
        boolean absolute = text.endsWith(".");
        String name = ascii(absolute ? text.substring(0, text.length() - 1) : text, "name");
        if (!absolute && !insideZone(zone, name)) {
            name = name + "." + zone;
        }
        if (!insideZone(zone, name)) {
            throw new BadValue("[" + shorten(typed) + "] is outside the zone " + zone + "; use a name ending in " + zone
                    + " or one relative to it, such as www or @ for the zone itself.");
        }
        if (name.length() > MAX_NAME) {
            throw new BadValue("The full name " + shorten(name) + " is longer than " + MAX_NAME + " characters.");
        }
        String[] labels = name.split("\\.");
        for (int i = 1; i < labels.length; i++) {
            if (labels[i].equals(WILDCARD)) {
                throw new BadValue("A wildcard * may only be the leftmost label, e.g. * or *.dev.");
            }
        }
        return name;
    }

    static boolean insideZone(String zone, String name) {
        return name.equals(zone) || name.endsWith("." + zone);
    }

    /**
     * A host name records point at, absolute with the trailing dot; a name typed without the trailing dot is taken as
     * a full name, as Cloudflare does. The root {@code .} is accepted only where {@code rootAllowed}.
     */
    static String target(String typed, String what, boolean rootAllowed) {
        String text = typed.strip();
        if (text.equals(".")) {
            if (rootAllowed) {
                return ".";
            }
            throw new BadValue("The " + what + " must be a host name such as host.example.com, not the root (.).");
        }
        String bare = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (IpLiterals.isIpv4(bare) || IpLiterals.ipv6(bare) != null) {
            throw new BadValue("The " + what + " [" + shorten(text) + "] is an IP address; enter a host name and give that host "
                    + "an A or AAAA record.");
        }
        String name = ascii(bare, what);
        if (name.split("\\.").length < 2) {
            throw new BadValue("The " + what + " [" + shorten(text) + "] must be a full host name such as host.example.com.");
        }
        if (name.length() > MAX_NAME) {
            throw new BadValue("The " + what + " is longer than " + MAX_NAME + " characters.");
        }
        if (name.startsWith(WILDCARD + ".")) {
            throw new BadValue("The " + what + " cannot be a wildcard name.");
        }
        return name + ".";
    }

    /**
     * The lower-case ASCII form of a dotted name; {@code *} passes as a label so that callers decide where a wildcard
     * may stand.
     */
    static String ascii(String text, String what) {
        if (text.isEmpty()) {
            throw new BadValue("Enter the " + what + ".");
        }
        String[] labels = text.split("\\.", -1);
        StringBuilder out = new StringBuilder();
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new BadValue("The " + what + " [" + shorten(text) + "] has an empty label (two dots in a row, or a "
                        + "leading dot).");
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(label.equals(WILDCARD) ? label : asciiLabel(label, text, what));
        }
        return out.toString();
    }

    private static String asciiLabel(String label, String text, String what) {
        String ascii;
        if (label.chars().allMatch(c -> c < 0x80)) {
            ascii = label.toLowerCase(Locale.ROOT);
        } else {
            try {
                ascii = IDN.toASCII(label).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new BadValue("The " + what + " [" + shorten(text) + "] is not a valid international name.");
            }
        }
        if (ascii.length() > MAX_LABEL) {
            throw new BadValue("The label [" + shorten(label) + "] is longer than " + MAX_LABEL + " characters"
                    + (ascii.equals(label) ? "." : " in its ASCII (punycode) form."));
        }
        if (ascii.contains(WILDCARD)) {
            throw new BadValue("A wildcard must be a whole label: * or *.dev, not [" + shorten(label) + "].");
        }
        if (!LABEL.matcher(ascii).matches()) {
            throw new BadValue("The " + what + " [" + shorten(text) + "] may only hold letters, digits, hyphens and underscores "
                    + "in each label, and no label may start or end with a hyphen.");
        }
        return ascii;
    }

    static String shorten(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }
}
