package io.vippanel.identity.web;

import io.vippanel.identity.Credentials;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.TenantScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * For every signed-in browser request: ends sessions that were revoked, outlived the absolute timeout, or
 * whose user or tenant was disabled or suspended; then sets the request's tenant scope.
 */
class SessionGuardFilter extends OncePerRequestFilter {

    private final Credentials credentials;
    private final Duration absoluteTimeout;

    SessionGuardFilter(Credentials credentials, VipProperties properties) {
        this.credentials = credentials;
        this.absoluteTimeout = properties.security().session().absoluteTimeout();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Actor> actor = SignedIn.currentActor();
        HttpSession session = request.getSession(false);
        if (actor.isPresent() && session != null && request.getHeader("Authorization") == null) {
            Optional<String> problem = credentials.sessionProblem(session.getId(), RequestOrigin.of(request), absoluteTimeout);
            if (problem.isPresent()) {
                session.invalidate();
                SecurityContextHolder.clearContext();
                if (request.getHeader("HX-Request") != null) {
                    response.setHeader("HX-Redirect", "/login?ended");
                    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                } else {
                    response.sendRedirect("/login?ended");
                }
                return;
            }
        }
        if (actor.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        TenantScope.enterSubtree(actor.get().actingTenantPath());
        try {
            chain.doFilter(request, response);
        } finally {
            TenantScope.clear();
        }
    }
}
