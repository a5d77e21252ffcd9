package io.vippanel.sites.internal;

import io.vippanel.platform.InvalidInput;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A cron schedule as Debian's cron reads it: five fields (minute, hour, day of month, month, day of week), each a
 * list of {@code *}, a value or a range, with an optional {@code /step} after {@code *} or a range; months and days
 * of the week also by their English three-letter names; or one of the {@code @} shorthands.
 */
public final class CronSchedule {

    public static final String FIELD = "expression";

    private static final Set<String> SHORTHANDS = Set.of("@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private record Field(String label, int min, int max, List<String> names, int firstNameValue) {
    }

    private static final List<Field> FIELDS = List.of(new Field("minute", 0, 59, List.of(), 0),
            new Field("hour", 0, 23, List.of(), 0), new Field("day of month", 1, 31, List.of(), 0),
            new Field("month", 1, 12, MONTHS, 1), new Field("day of week", 0, 7, DAYS, 0));

    private CronSchedule() {
    }

    /**
     * The expression with its fields separated by single spaces (shorthands and names in lower case).
     *
     * @throws InvalidInput on field {@value #FIELD}, naming the field and the part that is wrong
     */
    public static String normalize(String expression) {
        String text = expression.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            throw new InvalidInput(FIELD, "Enter a schedule: five fields like */5 * * * *, or @hourly, @daily, @weekly, @monthly, @yearly, @reboot.");
        }
        if (text.length() > 100) {
            throw new InvalidInput(FIELD, "A schedule has at most 100 characters.");
        }
        if (text.startsWith("@")) {
            if (!SHORTHANDS.contains(text)) {
                throw new InvalidInput(FIELD, "[" + text + "] is not a schedule; use @hourly, @daily, @weekly, @monthly, @yearly or @reboot.");
            }
            return text;
        }
        String[] parts = text.split("[ \\t]+");
        if (parts.length != 5) {
            throw new InvalidInput(FIELD, "A schedule has five fields (minute hour day-of-month month day-of-week); this one has "
                    + parts.length + ".");
        }
        for (int i = 0; i < 5; i++) {
            check(FIELDS.get(i), parts[i]);
        }
        return String.join(" ", parts);
    }

    private static void check(Field field, String text) {
        for (String item : text.split(",", -1)) {
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                String step = item.substring(slash + 1);
                if (!step.matches("[0-9]{1,2}") || Integer.parseInt(step) < 1 || Integer.parseInt(step) > field.max()) {
                    throw bad(field, item, "the step after / must be a number from 1 to " + field.max());
                }
                if (!range.equals("*") && !range.contains("-")) {
                    throw bad(field, item, "a step needs * or a range before the /");
                }
            }
            if (range.equals("*")) {
                continue;
            }
            int dash = range.indexOf('-');
            if (dash >= 0) {
                int low = value(field, item, range.substring(0, dash));
                int high = value(field, item, range.substring(dash + 1));
                if (low > high) {
                    throw bad(field, item, "a range goes from the lower to the higher value");
                }
            } else {
                value(field, item, range);
            }
        }
    }

    private static int value(Field field, String item, String text) {
        int named = field.names().indexOf(text);
        if (named >= 0) {
            return named + field.firstNameValue();
        }
        if (!text.matches("[0-9]{1,2}")) {
            throw bad(field, item, field.names().isEmpty() ? "use numbers from " + field.min() + " to " + field.max()
                    : "use numbers from " + field.min() + " to " + field.max() + " or names like " + field.names().get(0));
        }
        int value = Integer.parseInt(text);
        if (value < field.min() || value > field.max()) {
            throw bad(field, item, "the " + field.label() + " goes from " + field.min() + " to " + field.max());
        }
        return value;
    }

    private static InvalidInput bad(Field field, String item, String why) {
        String shown = item.isEmpty() ? "(empty)" : item.length() > 20 ? item.substring(0, 20) + "…" : item;
        return new InvalidInput(FIELD, "The " + field.label() + " field [" + shown + "] is not valid: " + why + ".");
    }
}
