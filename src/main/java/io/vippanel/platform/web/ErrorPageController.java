package io.vippanel.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/** Errors raised outside controllers (filters, the container) get the same answers as those inside. */
@Controller
public class ErrorPageController implements ErrorController {

    @RequestMapping("/error")
    Object error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = HttpStatus.resolve(code instanceof Integer number ? number : 500);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String detail = switch (status) {
            case NOT_FOUND -> "There is nothing at this address.";
            case FORBIDDEN -> "You may not open this page.";
            case BAD_REQUEST -> "The request was not understood.";
            default -> status.is5xxServerError() ? "Something went wrong on our side." : status.getReasonPhrase();
        };
        return ErrorResponses.answer(request, status, detail, Map.of());
    }
}
