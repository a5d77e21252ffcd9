package io.vippanel.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.servlet.support.RequestContextUtils;

/** A short confirmation carried across a redirect (flash attribute) and shown by the layout as a toast. */
public final class Toast {

    public static final String ATTRIBUTE = "toast";

    private Toast() {
    }

    /** The message flashed by the previous request, or an empty string. */
    public static String of(HttpServletRequest request) {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        return flash != null && flash.get(ATTRIBUTE) instanceof String message ? message : "";
    }
}
