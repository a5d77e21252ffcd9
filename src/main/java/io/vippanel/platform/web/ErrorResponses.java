package io.vippanel.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.ModelAndView;

/**
 * Turns an error into the answer the caller can read: RFC 9457 problem JSON for the API, an error page for
 * browsers. Never a stack trace, never SQL.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        String uri = originalUri(request);
        return uri.startsWith("/api/") || uri.startsWith("/v3/")
                || (accept != null && accept.contains("json") && !accept.contains("html"));
    }

    public static Object answer(HttpServletRequest request, HttpStatus status, String detail, Map<String, String> fieldErrors) {
        if (wantsJson(request)) {
            return problem(request, status, detail, fieldErrors);
        }
        ModelAndView page = new ModelAndView("pages/error");
        page.setStatus(status);
        page.addObject("status", status.value());
        page.addObject("title", status.getReasonPhrase());
        page.addObject("detail", detail);
        page.addObject("fieldErrors", fieldErrors);
        page.addObject("nonce", String.valueOf(request.getAttribute(ContentSecurityPolicyFilter.NONCE_ATTRIBUTE)));
        return page;
    }

    public static ResponseEntity<ProblemDetail> problem(HttpServletRequest request, HttpStatus status, String detail,
                                                        Map<String, String> fieldErrors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        problem.setInstance(URI.create(originalUri(request)));
        if (!fieldErrors.isEmpty()) {
            problem.setProperty("errors", new LinkedHashMap<>(fieldErrors));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The address the client asked for; on the error dispatch after {@code sendError} the request itself names /error. */
    private static String originalUri(HttpServletRequest request) {
        Object original = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        return original instanceof String text ? text : request.getRequestURI();
    }
}
