package io.vippanel.automation.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks secret values in text that leaves a run (output lines, task names and messages, results).
 *
 * <p>Besides the raw value it masks the forms a task is likely to print it in: JSON-escaped (ansible's own JSON
 * events), URL-encoded and base64 (e.g. {@code b64encode}, basic-auth headers), and, for a multi-line secret such as
 * a key, each of its lines, because output is masked line by line. Values shorter than {@value #MIN_SECRET_LENGTH}
 * characters are not masked: masking "on" or "80" everywhere would wreck the log while hiding next to nothing, and a
 * secret that short protects nothing anyway.
 */
public final class SecretRedactor {

    public static final String MASK = "********";
    static final int MIN_SECRET_LENGTH = 4;

    private final List<String> needles;

    public SecretRedactor(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            addFormsOf(secret, forms);
            if (secret.contains("\n")) {
                secret.lines().forEach(line -> addFormsOf(line.strip(), forms));
            }
        }
        // Longest first, so that a value containing another secret is masked as a whole.
        this.needles = forms.stream().filter(form -> form.length() >= MIN_SECRET_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public static SecretRedactor none() {
        return new SecretRedactor(List.of());
    }

    private static void addFormsOf(String secret, Set<String> forms) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            return;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(secret);
        forms.add(jsonEscaped(secret));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    private static String jsonEscaped(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    public String redact(String text) {
        String result = text;
        for (String needle : needles) {
            if (result.contains(needle)) {
                result = result.replace(needle, MASK);
            }
        }
        return result;
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }
}
