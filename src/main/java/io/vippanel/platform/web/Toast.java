package io.vippanel.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * A short message carried across a redirect (flash attribute) and shown by the layout as a toast: a confirmation
 * ({@link #ATTRIBUTE}) or a refusal ({@link #ERROR_ATTRIBUTE}).
 */
public final class Toast {

    public static final String ATTRIBUTE = "toast";
    public static final String ERROR_ATTRIBUTE = "toastError";

    /**
     * How a toast reads. The toast area is already a polite live region; an error interrupts as an alert and stays
     * longer on screen because the user has to act on it.
     */
    public enum Tone {
        SUCCESS("alert-success", null, 5_000),
        ERROR("alert-error", "alert", 10_000);

        private final String alertClass;
        private final @Nullable String role;
        private final int dismissAfterMillis;

        Tone(String alertClass, @Nullable String role, int dismissAfterMillis) {
            this.alertClass = alertClass;
            this.role = role;
            this.dismissAfterMillis = dismissAfterMillis;
        }

        public String alertClass() {
            return alertClass;
        }

        public @Nullable String role() {
            return role;
        }

        public int dismissAfterMillis() {
            return dismissAfterMillis;
        }
    }

    private Toast() {
    }

    /** The confirmation flashed by the previous request, or an empty string. */
    public static String of(HttpServletRequest request) {
        return flashed(request, ATTRIBUTE);
    }

    /** The error flashed by the previous request, or an empty string. */
    public static String errorOf(HttpServletRequest request) {
        return flashed(request, ERROR_ATTRIBUTE);
    }

    private static String flashed(HttpServletRequest request, String attribute) {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        return flash != null && flash.get(attribute) instanceof String message ? message : "";
    }
}
