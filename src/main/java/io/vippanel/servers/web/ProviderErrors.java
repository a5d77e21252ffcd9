package io.vippanel.servers.web;

import io.vippanel.platform.web.ErrorResponses;
import io.vippanel.servers.internal.provider.ProviderException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * A provider that failed while a page or API call waited on it is the provider's fault, not the caller's and not
 * the panel's: 503 when it is down or rate-limiting (try again later), 502 when it refused (its message says why).
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProviderErrors {

    @ExceptionHandler(ProviderException.class)
    Object providerFailed(ProviderException e, HttpServletRequest request) {
        HttpStatus status = e.retryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        return ErrorResponses.answer(request, status, e.userMessage(), Map.of());
    }
}
