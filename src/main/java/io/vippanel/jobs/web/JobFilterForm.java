package io.vippanel.jobs.web;

import io.vippanel.jobs.JobFilter;
import io.vippanel.jobs.JobStatus;
import io.vippanel.platform.InvalidInput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The job list's filters as typed, echoed back into the form; {@link #toFilter()} checks and converts them. */
public record JobFilterForm(String status, String type, String target, String from, String to) {

    private static final int MAX_TEXT = 100;
    /** Job type names are dotted identifiers such as {@code servers.provision}. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final String STATUSES = Arrays.stream(JobStatus.values()).map(JobStatus::key).collect(Collectors.joining(", "));

    public static final JobFilterForm EMPTY = new JobFilterForm("", "", "", "", "");

    public JobFilterForm {
        status = status.strip();
        type = type.strip();
        target = target.strip();
        from = from.strip();
        to = to.strip();
    }

    /** The filters as a query string, for page links. */
    public String query() {
        return "status=" + encode(status) + "&type=" + encode(type) + "&target=" + encode(target) + "&from=" + encode(from)
                + "&to=" + encode(to);
    }

    /** The filter, or every problem with the input at once, keyed by field. */
    public JobFilter toFilter() {
        Map<String, String> errors = new LinkedHashMap<>();
        JobStatus parsedStatus = null;
        if (!status.isEmpty()) {
            try {
                parsedStatus = JobStatus.of(status);
            } catch (IllegalArgumentException e) {
                errors.put("status", "Choose one of " + STATUSES + ".");
            }
        }
        if (type.length() > MAX_TEXT || (!type.isEmpty() && !TYPE.matcher(type).matches())) {
            errors.put("type", "Choose a job type from the list.");
        }
        if (target.length() > MAX_TEXT) {
            errors.put("target", "A target or job id has at most " + MAX_TEXT + " characters.");
        } else if (target.chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL, and no id has control characters.
            errors.put("target", "A target or job id has no control characters.");
        }
        Instant fromInstant = instant("from", from, false, errors);
        Instant toInstant = instant("to", to, true, errors);
        // "to" is exclusive (a date as "to" ends with that day): an equal or earlier end leaves nothing to find.
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            errors.put("to", "Use a date on or after the start date.");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new JobFilter(parsedStatus, type.isEmpty() ? null : type, target.isEmpty() ? null : target, fromInstant, toInstant);
    }

    /** Accepts a date (2026-11-25) or an ISO instant; a date as "to" includes that whole day (UTC). */
    private static @Nullable Instant instant(String field, String value, boolean endOfDay, Map<String, String> errors) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant instant = Instant.parse(value);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                // Beyond what the database's timestamps hold.
                errors.put(field, "Use a date between the years 1 and 9999.");
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            errors.put(field, "Use a date like 2026-11-25 or a time like 2026-11-25T10:00:00Z.");
            return null;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
