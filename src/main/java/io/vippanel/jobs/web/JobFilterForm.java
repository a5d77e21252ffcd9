package io.vippanel.jobs.web;

import io.vippanel.jobs.JobFilter;
import io.vippanel.jobs.JobStatus;
import io.vippanel.platform.Validation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The job list's filters as typed, echoed back into the form; {@link #toFilter()} checks and converts them. */
public record JobFilterForm(String status, String type, String target, String from, String to) {

    private static final int MAX_TEXT = 100;
    /** Job type names are dotted identifiers such as {@code servers.provision}. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]+");
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

    /**
     * The filter, or every problem with the input at once, keyed by field. The dates are a date (2026-11-25, UTC) or
     * an ISO instant; a date as "to" includes that whole day.
     */
    public JobFilter toFilter() {
        Validation validation = new Validation();
        JobStatus parsedStatus = null;
        if (!status.isEmpty()) {
            try {
                parsedStatus = JobStatus.of(status);
            } catch (IllegalArgumentException e) {
                validation.reject("status", "Choose one of " + STATUSES + ".");
            }
        }
        if (type.length() > MAX_TEXT || (!type.isEmpty() && !TYPE.matcher(type).matches())) {
            validation.reject("type", "Choose a job type from the list.");
        }
        if (target.length() > MAX_TEXT) {
            validation.reject("target", "A target or job id has at most " + MAX_TEXT + " characters.");
        } else if (target.chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL, and no id has control characters.
            validation.reject("target", "A target or job id has no control characters.");
        }
        Instant fromInstant = validation.optionalInstant("from", from, false);
        Instant toInstant = validation.optionalInstant("to", to, true);
        // "to" is exclusive (a date as "to" ends with that day): an equal or earlier end leaves nothing to find.
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            validation.reject("to", "Use a date on or after the start date.");
        }
        validation.throwIfInvalid();
        return new JobFilter(parsedStatus, type.isEmpty() ? null : type, target.isEmpty() ? null : target, fromInstant, toInstant);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
