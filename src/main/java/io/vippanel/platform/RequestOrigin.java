package io.vippanel.platform;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where the current request comes from (client IP as resolved by the forwarded-header filter, and user agent).
 */
public record RequestOrigin(String ip, String userAgent) {

    private static final RequestOrigin NONE = new RequestOrigin("local", "cli");

    public static RequestOrigin current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return of(servlet.getRequest());
        }
        return NONE;
    }

    public static RequestOrigin of(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        agent = agent == null ? "" : agent.length() > 300 ? agent.substring(0, 300) : agent;
        return new RequestOrigin(request.getRemoteAddr(), agent);
    }
}
