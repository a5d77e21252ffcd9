package io.vippanel.audit.web;

import io.vippanel.audit.AuditEntry;
import io.vippanel.audit.AuditFilter;
import io.vippanel.audit.AuditTrail;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;

/** The audit page with filters and pages, its CSV export, and {@code GET /api/v1/audit}. */
@Controller
public class AuditController {

    static final int PAGE_SIZE = 50;
    private static final int CSV_MAX = 100_000;

    /** Filters as typed, echoed back into the form. */
    public record FilterForm(String actor, String action, String target, String from, String to) {
        public String query() {
            return "actor=" + enc(actor) + "&action=" + enc(action) + "&target=" + enc(target) + "&from=" + enc(from) + "&to=" + enc(to);
        }

        private static String enc(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** The audit page. */
    public record AuditView(List<AuditEntry> entries, long total, int page, int pageSize, FilterForm filter) {
        public boolean hasNext() {
            return (long) (page + 1) * pageSize < total;
        }
    }

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping("/audit")
    String page(@AuthenticationPrincipal Actor actor, Model model, @RequestParam(name = "actor", defaultValue = "") String who, @RequestParam(defaultValue = "") String action,
                @RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "") String from,
                @RequestParam(defaultValue = "") String to, @RequestParam(defaultValue = "0") int page) {
        FilterForm form = new FilterForm(who.strip(), action.strip(), target.strip(), from.strip(), to.strip());
        AuditFilter filter = toFilter(form);
        int safePage = Math.max(0, Math.min(page, 100_000));
        model.addAttribute("view", new AuditView(trail.list(actor, filter, PAGE_SIZE, safePage * PAGE_SIZE),
                trail.count(actor, filter), safePage, PAGE_SIZE, form));
        return "pages/audit/list";
    }

    @GetMapping(value = "/audit.csv", produces = "text/csv")
    void csv(@AuthenticationPrincipal Actor actor, HttpServletResponse response, @RequestParam(name = "actor", defaultValue = "") String who,
             @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String target,
             @RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to) throws IOException {
        List<AuditEntry> entries = trail.list(actor, toFilter(new FilterForm(who, action, target, from, to)), CSV_MAX, 0);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit.csv\"");
        PrintWriter out = response.getWriter();
        out.println("seq,id,occurred_at,tenant_id,actor_id,actor_email,action,target_type,target_id,outcome,ip,user_agent,details");
        for (AuditEntry e : entries) {
            out.println(String.join(",", Long.toString(e.seq()), csv(e.id()), e.occurredAt().toString(), csv(e.tenantId()), csv(e.actorId()),
                    csv(e.actorEmail()), csv(e.action()), csv(e.targetType()), csv(e.targetId()), csv(e.outcome()), csv(e.ip()),
                    csv(e.userAgent()), csv(e.details())));
        }
    }

    /** REST API twin of the page. */
    @RestController
    static class AuditApi {

        record AuditPage(List<AuditEntry> items, long total, int limit, int offset) {
        }

        private final AuditTrail trail;

        AuditApi(AuditTrail trail) {
            this.trail = trail;
        }

        @GetMapping("/api/v1/audit")
        @ResponseBody
        AuditPage list(@AuthenticationPrincipal Actor actor, @RequestParam(name = "actor", defaultValue = "") String who,
                       @RequestParam(defaultValue = "") String action, @RequestParam(defaultValue = "") String target,
                       @RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to,
                       @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
            Validation.requirePage(limit, offset, 1000);
            AuditFilter filter = toFilter(new FilterForm(who, action, target, from, to));
            return new AuditPage(trail.list(actor, filter, limit, offset), trail.count(actor, filter), limit, offset);
        }
    }

    static AuditFilter toFilter(FilterForm form) {
        if (form.actor().length() > 254 || form.action().length() > 100 || form.target().length() > 100) {
            throw new InvalidInput("actor", "Filters are too long.");
        }
        if ((form.actor() + form.action() + form.target()).chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL, and no stored actor, action or id has control characters.
            throw new InvalidInput("actor", "Filters cannot contain control characters.");
        }
        return new AuditFilter(form.actor(), form.action(), form.target(), instant("from", form.from(), false), instant("to", form.to(), true));
    }

    /** Accepts a date (2026-11-25) or an ISO instant; a date as "to" includes that whole day. A bad one is refused at once. */
    private static @Nullable Instant instant(String field, String value, boolean endOfDay) {
        Validation validation = new Validation();
        Instant instant = validation.optionalInstant(field, value, endOfDay);
        validation.throwIfInvalid();
        return instant;
    }

    private static String csv(@Nullable String value) {
        if (value == null) {
            return "";
        }
        String safe = value.matches("^[=+\\-@\\t\\r].*") ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
