package io.vippanel.identity.web;

import io.vippanel.identity.Credentials;
import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.RateLimiter;
import io.vippanel.platform.VipProperties;
import io.vippanel.platform.web.ErrorResponses;
import io.vippanel.tenancy.Actor;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Two filter chains: the REST API (bearer tokens, stateless, no cookies so no CSRF) and the browser UI
 * (sessions, CSRF on every state change, login pages public, everything else needs full sign-in).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    static final String[] PUBLIC_PAGES = {"/login", "/login/2fa", "/setup/**", "/invite/**", "/forgot", "/reset/**",
            "/css/**", "/js/**", "/img/**", "/favicon.ico", "/error", "/actuator/health/**", "/actuator/prometheus", "/v3/api-docs/**"};

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, Credentials credentials, RateLimiter rateLimiter, VipProperties properties,
                            ApplicationEventPublisher events) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new BearerTokenFilter(credentials, rateLimiter, properties), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(SignedIn.FULL_ACCESS))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> JsonErrors.write(request, response, HttpStatus.UNAUTHORIZED,
                                "Send a personal API token as 'Authorization: Bearer <token>'."))
                        .accessDeniedHandler(deniedHandler(events)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, Credentials credentials, VipProperties properties, ApplicationEventPublisher events)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers(PUBLIC_PAGES).permitAll()
                        .requestMatchers("/profile/2fa/**", "/logout").authenticated()
                        .anyRequest().hasAuthority(SignedIn.FULL_ACCESS))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.logoutUrl("/logout")
                        .addLogoutHandler((request, response, authentication) -> {
                            var session = request.getSession(false);
                            if (session != null) {
                                credentials.sessionEnded(session.getId());
                            }
                        })
                        .logoutSuccessUrl("/login?signedOut"))
                .headers(headers -> headers
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .httpStrictTransportSecurity(hsts -> {
                            if (properties.security().hsts()) {
                                hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000);
                            } else {
                                hsts.disable();
                            }
                        }))
                .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
                .addFilterAfter(new SessionGuardFilter(credentials, properties), SecurityContextHolderFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            if (ErrorResponses.wantsJson(request)) {
                                JsonErrors.write(request, response, HttpStatus.UNAUTHORIZED, "Sign in first.");
                            } else if (request.getHeader("HX-Request") != null) {
                                response.setHeader("HX-Redirect", "/login");
                                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                            } else {
                                response.sendRedirect("/login");
                            }
                        })
                        .accessDeniedHandler((request, response, e) -> {
                            if (SignedIn.isEnrolling()) {
                                response.sendRedirect("/profile/2fa");
                                return;
                            }
                            deniedHandler(events).handle(request, response, e);
                        }));
        return http.build();
    }

    private static AccessDeniedHandler deniedHandler(ApplicationEventPublisher events) {
        return (request, response, e) -> {
            SignedIn.currentActor().ifPresent((Actor actor) -> events.publishEvent(new AuditEvent(actor.tenantId(), actor.userId(),
                    actor.email(), "access.denied", "route", request.getMethod() + " " + request.getRequestURI(),
                    AuditEvent.Outcome.DENIED, Map.of("reason", "csrf or role"))));
            if (ErrorResponses.wantsJson(request) || request.getRequestURI().startsWith("/api/")) {
                JsonErrors.write(request, response, HttpStatus.FORBIDDEN,
                        "You may not do this (missing permission, or a missing or expired CSRF token: reload the page).");
            } else {
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
            }
        };
    }

    /** The panel does its own login; this stops Spring Boot from creating a default user with a printed password. */
    @Bean
    UserDetailsService noUserDetails() {
        return username -> {
            throw new UsernameNotFoundException("password login goes through /login");
        };
    }
}
