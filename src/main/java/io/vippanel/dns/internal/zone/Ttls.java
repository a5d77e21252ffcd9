package io.vippanel.dns.internal.zone;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TTLs written as seconds ({@code 3600}) or with BIND's units ({@code 1h}, {@code 1d}, {@code 1w}, {@code 1h30m}). */
final class Ttls {

    private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");
    private static final Pattern WITH_UNITS = Pattern.compile("(\\d{1,10}[wdhms])+");
    private static final Pattern PART = Pattern.compile("(\\d{1,10})([wdhms])");

    private Ttls() {
    }

    static boolean looksLikeTtl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return SECONDS.matcher(lower).matches() || WITH_UNITS.matcher(lower).matches();
    }

    /** The seconds, or empty when the text is no TTL or exceeds what a DNS TTL field holds (2^31 - 1). */
    static OptionalInt seconds(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long total;
        if (SECONDS.matcher(lower).matches()) {
            total = Long.parseLong(lower);
        } else if (WITH_UNITS.matcher(lower).matches()) {
            total = 0;
            Matcher part = PART.matcher(lower);
            while (part.find()) {
                total += Long.parseLong(part.group(1)) * unit(part.group(2).charAt(0));
            }
        } else {
            return OptionalInt.empty();
        }
        return total > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) total);
    }

    private static long unit(char unit) {
        return switch (unit) {
            case 'w' -> 604_800;
            case 'd' -> 86_400;
            case 'h' -> 3_600;
            case 'm' -> 60;
            default -> 1;
        };
    }
}
