package io.vippanel.servers.internal.provider.http;

import java.util.regex.Pattern;

/** Fits the panel's labels into the characters providers accept for label and tag text. */
public final class Labels {

    private static final Pattern EDGES = Pattern.compile("^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$");

    private Labels() {
    }

    /**
     * Replaces every character outside {@code allowed} with {@code -}, trims non-alphanumeric characters off both
     * ends and cuts the text to {@code maxLength}.
     *
     * @param allowed a regex character class of what may stay, e.g. {@code [a-zA-Z0-9._-]}
     */
    public static String sanitize(String text, String allowed, int maxLength) {
        String kept = text.strip().replaceAll("(?!" + allowed + ").", "-");
        if (kept.length() > maxLength) {
            kept = kept.substring(0, maxLength);
        }
        return EDGES.matcher(kept).replaceAll("");
    }
}
