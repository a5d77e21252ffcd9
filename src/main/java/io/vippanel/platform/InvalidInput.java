package io.vippanel.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/** Input that breaks a rule; answered with 422 and a message per field, never a 500. */
public class InvalidInput extends RuntimeException {

    private final Map<String, String> fieldErrors;

    public InvalidInput(String field, String message) {
        this(Map.of(field, message));
    }

    public InvalidInput(Map<String, String> fieldErrors) {
        super(String.join("; ", fieldErrors.values()));
        this.fieldErrors = Map.copyOf(new LinkedHashMap<>(fieldErrors));
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
