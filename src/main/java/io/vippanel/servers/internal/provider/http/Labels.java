package io.vippanel.servers.internal.provider.http;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Fits the panel's labels and ids into what provider APIs accept in label and tag text and in URL paths. */
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

    /**
     * Labels as {@code key:value} tags for providers that keep only tags, sorted by key, sanitized as
     * {@link #sanitize}; empty ones are dropped.
     */
    public static List<String> tags(Map<String, String> labels, String allowed, int maxLength) {
        return labels.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> sanitize(e.getKey() + ":" + e.getValue(), allowed, maxLength))
                .filter(tag -> !tag.isEmpty())
                .toList();
    }

    /**
     * A provider's numeric id (Hetzner, DigitalOcean); anything else cannot name a resource and must not reach a
     * URL path.
     *
     * @throws IllegalArgumentException when {@code id} is not a number
     */
    public static long numericId(String provider, String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(provider + " id [" + id + "] is not a number");
        }
    }
}
