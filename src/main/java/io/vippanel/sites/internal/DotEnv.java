package io.vippanel.sites.internal;

import io.vippanel.platform.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's {@code .env} text, checked line by line: {@code KEY=value} assignments (an optional {@code export} in
 * front), comments and blank lines. Values may be quoted with {@code "} or {@code '}; a quoted value must end with
 * its quote. The text is kept as given, so the file on the server is exactly what people wrote.
 */
public final class DotEnv {

    public static final int MAX_BYTES = 64 * 1024;
    public static final String FIELD = "dotenv";

    private static final Pattern ASSIGNMENT = Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)");

    private final String text;
    private final Map<String, String> values;

    private DotEnv(String text, Map<String, String> values) {
        this.text = text;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Parses and checks the text; the error names the first bad line.
     *
     * @throws InvalidInput on field {@value #FIELD}
     */
    public static DotEnv parse(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInput(FIELD, "The environment is larger than 64 KiB.");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidInput(FIELD, "Line " + lineOf(text, text.indexOf('\0')) + ": the text contains a NUL character.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (!assignment.matches()) {
                // Only the part before "=" is shown: the rest may be a secret pasted on the wrong line.
                int equals = line.indexOf('=');
                String name = equals < 0 ? "" : line.substring(0, Math.min(equals, 40)).strip();
                throw new InvalidInput(FIELD, "Line " + number + " is not an assignment like NAME=value"
                        + (equals < 0 ? "." : ": [" + name + "] is not a name (letters, digits and _, not starting with a digit)."));
            }
            String name = assignment.group(1);
            String value = value(number, assignment.group(2).strip());
            Integer earlier = firstLine.putIfAbsent(name, number);
            if (earlier != null) {
                throw new InvalidInput(FIELD, "Line " + number + ": " + name + " is already set on line " + earlier + ".");
            }
            values.put(name, value);
        }
        return new DotEnv(text, values);
    }

    /** The value without its quotes; a value that opens a quote must close it at the end of its line. */
    private static String value(int number, String raw) {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            char quote = raw.charAt(0);
            int close = raw.indexOf(quote, 1);
            if (close < 0) {
                throw new InvalidInput(FIELD, "Line " + number + ": the value opens a " + quote + " quote that the line does not close.");
            }
            String rest = raw.substring(close + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new InvalidInput(FIELD, "Line " + number + ": only a comment may follow the quoted value.");
            }
            return raw.substring(1, close);
        }
        return raw;
    }

    private static long lineOf(String text, int index) {
        return text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }

    public String text() {
        return text;
    }

    /** The assignments in file order, values unquoted. */
    public Map<String, String> values() {
        return values;
    }

    /** The names added, removed or given another value, compared with {@code before}, sorted (never a value). */
    public List<String> changedNames(DotEnv before) {
        List<String> changed = new ArrayList<>();
        values.forEach((name, value) -> {
            if (!value.equals(before.values.get(name))) {
                changed.add(name);
            }
        });
        before.values.keySet().stream().filter(name -> !values.containsKey(name)).forEach(changed::add);
        Collections.sort(changed);
        return changed;
    }

    /** Never the values. */
    @Override
    public String toString() {
        return "DotEnv" + values.keySet();
    }
}
