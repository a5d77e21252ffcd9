package io.vippanel.platform;

import java.net.IDN;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects field errors for one form or request and turns text input into clean values.
 */
public final class Validation {

    private static final Pattern EMAIL_LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("(?!-)[a-z0-9-]{1,63}(?<!-)");
    private static final Pattern TOP_LABEL = Pattern.compile(".*[a-z].*");
    private static final int MAX_HOST_NAME = 253;
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t]]|[\\u202A-\\u202E\\u2066-\\u2069]");

    private static final Instant EARLIEST = LocalDate.of(1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    /** The end of the year 9999, so that the date 9999-12-31 taken as the end of a range still fits. */
    private static final Instant LATEST = LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private final Map<String, String> errors = new LinkedHashMap<>();

    public String requiredText(String field, @Nullable String value, int maxLength) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            errors.putIfAbsent(field, "Please fill this in.");
        } else if (text.length() > maxLength) {
            errors.putIfAbsent(field, "At most " + maxLength + " characters.");
        } else if (CONTROL.matcher(text).find()) {
            errors.putIfAbsent(field, "Control characters are not allowed.");
        }
        return text;
    }

    /** A normalised email address (lower case, IDN domain in ASCII), or records an error. */
    public String email(String field, @Nullable String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            errors.putIfAbsent(field, "Please enter an email address.");
            return text;
        }
        int at = text.lastIndexOf('@');
        if (text.length() > 254 || at < 1 || !EMAIL_LOCAL.matcher(text.substring(0, at)).matches()) {
            errors.putIfAbsent(field, "This is not a valid email address.");
            return text;
        }
        String domain;
        try {
            domain = IDN.toASCII(text.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            errors.putIfAbsent(field, "The domain of this email address is not valid.");
            return text;
        }
        String[] labels = domain.split("\\.", -1);
        boolean valid = labels.length >= 2 && domain.length() <= 253;
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        if (!valid) {
            errors.putIfAbsent(field, "The domain of this email address is not valid.");
        }
        String address = text.substring(0, at + 1) + domain;
        if (address.length() > 254) {
            // An international domain grows when converted to ASCII; the stored form must still fit.
            errors.putIfAbsent(field, "This is not a valid email address.");
        }
        return address;
    }

    /** An optional non-negative whole number; blank means no limit. */
    public @Nullable Integer optionalLimit(String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            int number = Integer.parseInt(text);
            if (number < 0 || number > 1_000_000) {
                errors.putIfAbsent(field, "Enter a whole number from 0 to 1000000, or leave empty for no limit.");
            }
            return number;
        } catch (NumberFormatException e) {
            errors.putIfAbsent(field, "Enter a whole number, or leave empty for no limit.");
            return null;
        }
    }

    /**
     * An optional search filter: blank means "any", otherwise at most {@code maxLength} characters without control
     * characters (PostgreSQL text cannot hold NUL, and no stored name or id has control characters).
     */
    public @Nullable String optionalFilter(String field, @Nullable String value, int maxLength) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > maxLength) {
            errors.putIfAbsent(field, "At most " + maxLength + " characters.");
        } else if (CONTROL.matcher(text).find()) {
            errors.putIfAbsent(field, "Control characters are not allowed.");
        }
        return text;
    }

    /**
     * An optional point in time typed as a date ({@code 2026-11-25}, UTC) or an ISO-8601 instant; blank means none.
     * A date taken as the end of a range ({@code endOfDay}) includes that whole day.
     */
    public @Nullable Instant optionalInstant(String field, @Nullable String value, boolean endOfDay) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return null;
        }
        Instant instant;
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                instant = (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                instant = Instant.parse(text);
            }
        } catch (DateTimeParseException e) {
            errors.putIfAbsent(field, "Use a date like 2026-11-25 or a time like 2026-11-25T10:00:00Z.");
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            // Beyond what PostgreSQL's timestamps hold, and far outside anything the panel records.
            errors.putIfAbsent(field, "Use a date between the years 1 and 9999.");
            return null;
        }
        return instant;
    }

    /** Refuses a page window outside 1..maxLimit items or before the first item. */
    /**
     * A host name with at least two labels, in lower-case ASCII (an international name becomes punycode), or records
     * an error. IP addresses, ports, paths and wildcards are refused.
     */
    public String hostName(String field, @Nullable String value) {
        String text = value == null ? "" : value.strip();
        String name = hostNameOrNull(text);
        if (name == null) {
            String shown = text.replaceAll("\\p{Cntrl}", "?");
            reject(field, "[" + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + "] is not a valid host name; "
                    + "enter a domain such as example.com or www.example.com (no scheme, port, path, wildcard or IP address).");
            return text.toLowerCase(Locale.ROOT);
        }
        return name;
    }

    /** The ASCII form of a host name with at least two labels, or {@code null} when the text is not one. */
    public static @Nullable String hostNameOrNull(String text) {
        if (text.isEmpty() || text.length() > MAX_HOST_NAME * 2 || text.chars().anyMatch(c -> c <= ' ' || "*/:@?#[]\\".indexOf(c) >= 0)) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > MAX_HOST_NAME) {
            return null;
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return null;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return null;
            }
        }
        // A top-level label of digits only makes an IPv4 address (or something a resolver reads as one).
        return TOP_LABEL.matcher(labels[labels.length - 1]).matches() ? ascii : null;
    }

    public static void requirePage(int limit, int offset, int maxLimit) {
        if (limit < 1 || limit > maxLimit || offset < 0) {
            throw new InvalidInput("limit", "limit must be 1 to " + maxLimit + " and offset 0 or more");
        }
    }

    public void reject(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws {@link InvalidInput} with every collected error, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }
}
