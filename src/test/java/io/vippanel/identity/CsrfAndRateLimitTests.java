package io.vippanel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {
        "vip.security.rate-limit.login-per-ip-per-minute=5",
        "vip.security.rate-limit.login-per-account-per-minute=3",
        "vip.security.rate-limit.api-per-token-per-minute=4"})
class CsrfAndRateLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Fixture fixture;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
    }

    @Test
    void stateChangesWithoutTheCsrfTokenAreRefused() {
        PanelClient browser = PanelClient.browserFrom(port, "192.0.2.10").login(fixture.reseller1User.email(), Fixture.PASSWORD);
        Map<String, String> form = Map.of("name", "No token", "kind", "client", "parentId", fixture.reseller1.id());

        assertThat(browser.postRawForm("/tenants", form).statusCode()).isEqualTo(403);
        assertThat(browser.postRawForm("/tenants", Map.of("name", "Bad token", "kind", "client", "parentId", fixture.reseller1.id(),
                "_csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(browser.get("/tenants").body()).doesNotContain("No token", "Bad token");

        assertThat(browser.postForm("/tenants", form).statusCode()).isEqualTo(302);
        assertThat(browser.get("/tenants").body()).contains("No token");
    }

    @Test
    void loginsFromOneAddressAreLimitedWith429AndRetryAfter() {
        PanelClient attacker = PanelClient.browserFrom(port, "203.0.113.77");
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.loginAttempt("nobody" + i + "@example.test", "wrong password").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = attacker.loginAttempt("nobody@example.test", "wrong password");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());

        // Another address is not affected.
        assertThat(PanelClient.browserFrom(port, "203.0.113.78").loginAttempt(fixture.client1User.email(), Fixture.PASSWORD).statusCode())
                .isEqualTo(302);
    }

    @Test
    void loginsToOneAccountAreLimitedAcrossAddresses() {
        String target = fixture.client2User.email();
        for (int i = 0; i < 3; i++) {
            assertThat(PanelClient.browserFrom(port, "198.51.100." + (10 + i)).loginAttempt(target, "wrong password").statusCode()).isEqualTo(401);
        }
        assertThat(PanelClient.browserFrom(port, "198.51.100.99").loginAttempt(target, "wrong password").statusCode()).isEqualTo(429);
    }

    @Test
    void apiRequestsPerTokenAreLimited() {
        PanelClient api = PanelClient.api(port, fixture.tokenOf(fixture.client1Other));
        for (int i = 0; i < 4; i++) {
            assertThat(api.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = api.send("GET", "/api/v1/me", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
    }
}
