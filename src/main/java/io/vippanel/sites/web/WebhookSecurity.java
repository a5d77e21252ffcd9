package io.vippanel.sites.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The push webhooks ({@code /hooks/sites/<id>}) are called by repository hosts, which have no session, cookie or
 * CSRF token: their own signature check ({@link SiteWebhookController}) is the only credential, so this chain lets
 * exactly those paths through and keeps sessions out of them; anything else under {@code /hooks} stays behind sign-in.
 */
@Configuration(proxyBeanMethods = false)
class WebhookSecurity {

    @Bean
    @Order(0)
    SecurityFilterChain siteWebhookChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/hooks/sites/*")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .anonymous(anonymous -> anonymous.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }
}
