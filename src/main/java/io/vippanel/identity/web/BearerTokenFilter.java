package io.vippanel.identity.web;

import io.vippanel.identity.Credentials;
import io.vippanel.platform.RateLimiter;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.TenantScope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer vip_...} on the REST API and limits each token's request rate. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final Credentials credentials;
    private final RateLimiter rateLimiter;
    private final int perMinute;

    BearerTokenFilter(Credentials credentials, RateLimiter rateLimiter, VipProperties properties) {
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
        this.perMinute = properties.security().rateLimit().apiPerTokenPerMinute();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String secret = header.substring(7).strip();
            Optional<Duration> wait = rateLimiter.tryAcquire("api:" + io.vippanel.identity.internal.Hashes.sha256(secret).substring(0, 24), perMinute);
            if (wait.isPresent()) {
                response.setHeader("Retry-After", Long.toString(wait.get().toSeconds()));
                JsonErrors.write(request, response, org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
                        "Too many requests with this token. Try again in " + wait.get().toSeconds() + " seconds.");
                return;
            }
            var actor = credentials.authenticateToken(secret);
            if (actor.isEmpty()) {
                JsonErrors.write(request, response, org.springframework.http.HttpStatus.UNAUTHORIZED,
                        "The API token is not valid, has expired or was revoked, or its account is suspended.");
                return;
            }
            SecurityContextHolder.getContext().setAuthentication(SignedIn.authentication(actor.get(), false));
            // Like SessionGuardFilter for browsers: without a scope, row-level security hides every tenant-owned row.
            TenantScope.enterSubtree(actor.get().actingTenantPath());
            try {
                chain.doFilter(request, response);
            } finally {
                TenantScope.clear();
            }
            return;
        }
        chain.doFilter(request, response);
    }

}
