package io.vippanel.dns.internal.zone;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** CAA records (RFC 8659): {@code flags tag value} with the tags issue, issuewild and iodef; the value always quoted. */
final class CaaValues {

    static final List<String> TAGS = List.of("issue", "issuewild", "iodef");

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z0-9]+)=([\\x21-\\x3a\\x3c-\\x7e]*)");
    private static final Pattern MAILBOX = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([^@\\s]+)");
    private static final String EXAMPLE = "such as 0 issue \"letsencrypt.org\"";

    private CaaValues() {
    }

    static String normalize(String content) {
        String[] parts = content.split("\\s+", 3);
        if (parts.length != 3) {
            throw new BadValue("A CAA record is flags, tag and value, " + EXAMPLE + ".");
        }
        int flags = RecordContent.number(parts[0], "flags value", 255);
        String tag = parts[1].toLowerCase(Locale.ROOT);
        if (!TAGS.contains(tag)) {
            throw new BadValue("The CAA tag [" + HostNames.shorten(parts[1]) + "] is not supported; use "
                    + String.join(", ", TAGS) + ".");
        }
        String value = value(parts[2].strip());
        String normalized = tag.equals("iodef") ? iodef(value) : issuer(value);
        return flags + " " + tag + " " + CharacterStrings.quote(normalized.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(String text) {
        if (!CharacterStrings.isQuoted(text)) {
            return text;
        }
        List<byte[]> strings = CharacterStrings.parseQuoted(text);
        if (strings.size() != 1) {
            throw new BadValue("A CAA value is one quoted string, " + EXAMPLE + ".");
        }
        return new String(strings.getFirst(), StandardCharsets.UTF_8).strip();
    }

    /** {@code ca.example}, {@code ca.example; key=value; ...}, or {@code ;} for "no one may issue". */
    private static String issuer(String value) {
        if (value.equals(";")) {
            return value;
        }
        String[] parts = value.split(";", -1);
        String domain = parts[0].strip();
        if (domain.isEmpty()) {
            throw new BadValue("Enter the certificate authority's domain, " + EXAMPLE + ", or ; alone to forbid issuance.");
        }
        String ascii = HostNames.target(domain, "certificate authority domain", false);
        List<String> normalized = new ArrayList<>();
        normalized.add(ascii.substring(0, ascii.length() - 1));
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (!PARAMETER.matcher(parameter).matches()) {
                throw new BadValue("The CAA parameter [" + HostNames.shorten(parameter) + "] must be key=value without spaces, "
                        + "such as letsencrypt.org; validationmethods=dns-01.");
            }
            normalized.add(parameter);
        }
        return String.join("; ", normalized);
    }

    /** Where certificate authorities report refused requests: a {@code mailto:}, {@code https:} or {@code http:} URL. */
    private static String iodef(String value) {
        String problem = "The iodef value must be a mailto: or https:// URL, such as mailto:security@example.com.";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new BadValue(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean valid = switch (scheme) {
            case "mailto" -> uri.getSchemeSpecificPart() != null && MAILBOX.matcher(uri.getSchemeSpecificPart()).matches();
            case "https", "http" -> uri.getHost() != null;
            default -> false;
        };
        if (!valid) {
            throw new BadValue(problem);
        }
        return value;
    }
}
