package io.vippanel.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

/** The request's CSRF token for forms ({@code parameterName}) and HTMX ({@code headerName}). */
public record Csrf(String parameterName, String headerName, String token) {

    public static final Csrf NONE = new Csrf("_csrf", "X-CSRF-TOKEN", "");

    public static Csrf of(HttpServletRequest request) {
        Object attribute = request.getAttribute(CsrfToken.class.getName());
        if (attribute instanceof CsrfToken token) {
            return new Csrf(token.getParameterName(), token.getHeaderName(), token.getToken());
        }
        return NONE;
    }
}
