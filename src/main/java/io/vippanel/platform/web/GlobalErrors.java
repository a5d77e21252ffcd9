package io.vippanel.platform.web;

import io.vippanel.platform.AuditActor;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.RateLimited;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.validation.BindException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error a controller lets escape becomes a clear 4xx (or a 500 that says nothing internal).
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class GlobalErrors {

    private static final Logger log = LoggerFactory.getLogger(GlobalErrors.class);
    private final ApplicationEventPublisher events;

    public GlobalErrors(ApplicationEventPublisher events) {
        this.events = events;
    }

    @ExceptionHandler(InvalidInput.class)
    Object invalid(InvalidInput e, HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.UNPROCESSABLE_CONTENT, "Some fields need attention: " + e.getMessage(), e.fieldErrors());
    }

    @ExceptionHandler(NotFound.class)
    Object notFound(NotFound e, HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.NOT_FOUND, e.getMessage(), Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Object noResource(HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.NOT_FOUND, "There is nothing at this address.", Map.of());
    }

    @ExceptionHandler(RateLimited.class)
    Object rateLimited(RateLimited e, HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Retry-After", Long.toString(e.retryAfter().toSeconds()));
        return ErrorResponses.answer(request, HttpStatus.TOO_MANY_REQUESTS, e.getMessage(), Map.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    Object denied(AccessDeniedException e, HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuditActor actor) {
            events.publishEvent(new AuditEvent(actor.tenantId(), actor.userId(), actor.email(), "access.denied", "route",
                    request.getMethod() + " " + request.getRequestURI(), AuditEvent.Outcome.DENIED, Map.of("reason", String.valueOf(e.getMessage()))));
        }
        return ErrorResponses.answer(request, HttpStatus.FORBIDDEN, "You may not do this: " + e.getMessage(), Map.of());
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class, HttpMessageNotReadableException.class})
    Object badRequest(Exception e, HttpServletRequest request) {
        String detail = switch (e) {
            case MethodArgumentTypeMismatchException m -> "The value of [" + m.getName() + "] has the wrong type.";
            case MissingServletRequestParameterException m -> "The parameter [" + m.getParameterName() + "] is missing.";
            case MissingRequestHeaderException m -> "The header [" + m.getHeaderName() + "] is missing.";
            default -> "The request body is not valid JSON of the expected shape.";
        };
        return ErrorResponses.answer(request, HttpStatus.BAD_REQUEST, detail, Map.of());
    }

    @ExceptionHandler(BindException.class)
    Object binding(BindException e, HttpServletRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getFieldErrors().forEach(error -> errors.putIfAbsent(error.getField(),
                error.isBindingFailure() ? "This value has the wrong type." : String.valueOf(error.getDefaultMessage())));
        return ErrorResponses.answer(request, HttpStatus.UNPROCESSABLE_CONTENT, "Some fields need attention.", errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    Object methodValidation(HandlerMethodValidationException e, HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.UNPROCESSABLE_CONTENT, "Some values are not valid.", Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    Object method(HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.METHOD_NOT_ALLOWED, "This address does not accept " + request.getMethod() + ".", Map.of());
    }

    @ExceptionHandler({HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class})
    Object mediaType(HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send JSON (application/json) or a form.", Map.of());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    Object tooLarge(HttpServletRequest request) {
        return ErrorResponses.answer(request, HttpStatus.CONTENT_TOO_LARGE, "The upload is too large.", Map.of());
    }

    /**
     * The client went away while a response was still being written, typically a closed tab's live stream: there is
     * nobody to answer, and it is no error of the panel's. Handled here (like Spring's own default does) so that the
     * catch-all below neither logs it as one nor tries to write an error page into the dead response.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e, HttpServletRequest request, HttpServletResponse response) {
        log.debug("client of {} {} went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    Object unexpected(Exception e, HttpServletRequest request) {
        String reference = Ids.randomToken(10);
        log.error("unexpected error {} on {} {}", reference, request.getMethod(), request.getRequestURI(), e);
        return ErrorResponses.answer(request, HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. The error was logged with reference " + reference + ".", Map.of());
    }
}
