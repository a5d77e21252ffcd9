package io.vippanel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.identity.internal.Totp;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.tenancy.Limits;
import io.vippanel.tenancy.Tenants;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Sign-in, forced 2FA, recovery codes, sessions, suspension, tokens, invitations and limits, over HTTP. */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityFlowTests {

    private static final Pattern MANUAL_KEY = Pattern.compile("id=\"manual-key\"[^>]*>([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li class=\"badge[^\"]*\">([a-z2-9]{5}-[a-z2-9]{5})</li>");
    private static final Pattern INVITE_LINK = Pattern.compile("id=\"invite-link\"[^>]*>[^<]*?/invite/([a-z2-9]{40})<");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    Tenants tenants;

    @Autowired
    Totp totp;

    Fixture fixture;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
    }

    @Test
    void forcedTwoFactorEnrolmentThenSignInWithCodeAndRecoveryCode() {
        Fixture.as(fixture.superadmin, () -> tenants.setRequire2fa(fixture.superadmin, fixture.client1.id(), true));
        try {
            enrolAndSignInWithCodes();
        } finally {
            Fixture.as(fixture.superadmin, () -> tenants.setRequire2fa(fixture.superadmin, fixture.client1.id(), false));
        }
    }

    private void enrolAndSignInWithCodes() {
        PanelClient browser = PanelClient.browser(port);
        HttpResponse<String> login = browser.loginAttempt(fixture.client1Other.email(), Fixture.PASSWORD);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/profile/2fa"));
        assertThat(browser.get("/").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/profile/2fa"));
        assertThat(browser.get("/users").statusCode()).isEqualTo(302);

        HttpResponse<String> enrolPage = browser.get("/profile/2fa");
        assertThat(enrolPage.body()).contains("data:image/svg+xml;base64,");
        Matcher key = MANUAL_KEY.matcher(enrolPage.body());
        assertThat(key.find()).isTrue();
        String secret = key.group(1).replace(" ", "");
        browser.useCsrfOf(enrolPage);
        HttpResponse<String> wrong = browser.postForm("/profile/2fa", Map.of("code", "000000"));
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).as("a wrong code shows the same key again").contains(key.group(1));
        String code = totp.codeAt(secret, Instant.now());
        HttpResponse<String> enrolled = browser.postForm("/profile/2fa", Map.of("code", code));
        assertThat(enrolled.statusCode()).isEqualTo(200);
        Matcher codes = RECOVERY_CODE.matcher(enrolled.body());
        java.util.List<String> recovery = new java.util.ArrayList<>();
        while (codes.find()) {
            recovery.add(codes.group(1));
        }
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        assertThat(browser.get("/").statusCode()).isEqualTo(200);

        PanelClient second = PanelClient.browser(port);
        assertThat(second.loginAttempt(fixture.client1Other.email(), Fixture.PASSWORD).headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/login/2fa"));
        second.refreshCsrfFrom("/login/2fa");
        assertThat(second.postForm("/login/2fa", Map.of("code", code)).statusCode()).as("a used code cannot be replayed").isEqualTo(401);
        assertThat(second.postForm("/login/2fa", Map.of("code", recovery.get(0))).statusCode()).isEqualTo(302);
        assertThat(second.get("/").statusCode()).isEqualTo(200);

        PanelClient third = PanelClient.browser(port);
        third.loginAttempt(fixture.client1Other.email(), Fixture.PASSWORD);
        third.refreshCsrfFrom("/login/2fa");
        assertThat(third.postForm("/login/2fa", Map.of("code", recovery.get(0))).statusCode()).as("recovery codes work once").isEqualTo(401);
    }

    @Test
    void suspendingAResellerLocksOutItsClientsAtOnce() {
        PanelClient clientBrowser = PanelClient.browser(port).login(fixture.client2User.email(), Fixture.PASSWORD);
        PanelClient clientApi = PanelClient.api(port, fixture.tokenOf(fixture.client2User));
        assertThat(clientApi.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(200);

        Fixture.as(fixture.admin, () -> tenants.suspend(fixture.admin, fixture.reseller2.id()));
        try {
            assertThat(clientBrowser.get("/").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?ended"));
            assertThat(clientApi.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(401);
            HttpResponse<String> login = PanelClient.browser(port).loginAttempt(fixture.reseller2User.email(), Fixture.PASSWORD);
            assertThat(login.statusCode()).isEqualTo(401);
            assertThat(login.body()).contains("suspended");
        } finally {
            Fixture.as(fixture.admin, () -> tenants.resume(fixture.admin, fixture.reseller2.id()));
        }
        assertThat(clientApi.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(200);
    }

    @Test
    void revokingOtherSessionsSignsThemOut() {
        PanelClient laptop = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        PanelClient phone = PanelClient.browserFrom(port, "192.0.2.55").login(fixture.reseller1User.email(), Fixture.PASSWORD);
        String sessions = phone.get("/profile").body();
        assertThat(sessions).contains("192.0.2.55").contains("this session");

        assertThat(phone.postForm("/profile/sessions/revoke-others", Map.of()).statusCode()).isEqualTo(302);
        assertThat(phone.get("/profile").body()).as("a toast confirms it once").containsPattern("[1-9]\\d* other session\\(s\\) signed out.");
        assertThat(phone.get("/profile").body()).doesNotContain("other session(s) signed out.");
        assertThat(laptop.get("/").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?ended"));
        assertThat(phone.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void apiTokensAreShownOnceStoredHashedAndRevocable() {
        PanelClient browser = PanelClient.browser(port).login(fixture.client1User.email(), Fixture.PASSWORD);
        HttpResponse<String> past = browser.postForm("/profile/tokens", Map.of("name", "old", "expiresOn", "2001-01-01"));
        assertThat(past.statusCode()).isEqualTo(422);

        HttpResponse<String> created = browser.postForm("/profile/tokens", Map.of("name", "deploy bot", "expiresOn", ""));
        Matcher token = Pattern.compile("id=\"new-token\"[^>]*>(vip_[a-z2-9]{40})<").matcher(created.body());
        assertThat(token.find()).isTrue();
        PanelClient api = PanelClient.api(port, token.group(1));
        assertThat(api.send("GET", "/api/v1/me", null).body()).contains(fixture.client1User.email());
        assertThat(browser.get("/profile").body()).contains("deploy bot").doesNotContain(token.group(1));

        String id = api.send("GET", "/api/v1/tokens", null).body().replaceAll("(?s).*\"id\":\"(tok_[a-z2-9]{20})\",\"name\":\"deploy bot\".*", "$1");
        assertThat(api.send("DELETE", "/api/v1/tokens/" + id, null).statusCode()).isEqualTo(204);
        assertThat(api.send("GET", "/api/v1/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void invitationLinksWorkOnceAndFollowThePasswordRules() {
        PanelClient reseller = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        HttpResponse<String> invited = reseller.postForm("/users", Map.of("tenantId", fixture.client1.id(), "email", "new.hire@example.test",
                "displayName", "New Hire", "role", ""));
        Matcher link = INVITE_LINK.matcher(invited.body());
        assertThat(link.find()).as(invited.body()).isTrue();
        String path = "/invite/" + link.group(1);

        PanelClient newcomer = PanelClient.browser(port);
        assertThat(newcomer.get(path).body()).contains("new.hire@example.test");
        newcomer.refreshCsrfFrom(path);
        HttpResponse<String> common = newcomer.postForm(path, Map.of("password", "password1234"));
        assertThat(common.statusCode()).isEqualTo(422);
        assertThat(common.body()).contains("commonly used");
        assertThat(newcomer.postForm(path, Map.of("password", "short")).statusCode()).isEqualTo(422);
        assertThat(newcomer.postForm(path, Map.of("password", "A much better passphrase")).statusCode()).isEqualTo(302);
        assertThat(newcomer.get(path).statusCode()).as("the link works once").isEqualTo(410);

        PanelClient.browser(port).login("new.hire@example.test", "A much better passphrase");
    }

    @Test
    void passwordResetAnswersTheSameForKnownAndUnknownAddresses() {
        PanelClient anyone = PanelClient.browser(port);
        anyone.refreshCsrfFrom("/forgot");
        HttpResponse<String> known = anyone.postForm("/forgot", Map.of("email", fixture.client1User.email()));
        HttpResponse<String> unknown = anyone.postForm("/forgot", Map.of("email", "nobody@example.test"));
        assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(200);
        assertThat(known.body().replaceAll("value=\"[^\"]+\"", "")).isEqualTo(unknown.body().replaceAll("value=\"[^\"]+\"", ""));
        assertThat(anyone.get("/reset/" + "a".repeat(40)).statusCode()).isEqualTo(410);
    }

    @Test
    void limitsAreEnforcedAndNeverExceedTheParents() {
        Fixture.as(fixture.superadmin, () -> tenants.update(fixture.superadmin, fixture.reseller2.id(), fixture.reseller2.name(),
                new Limits(10, 10, 10, 4)));
        PanelClient reseller = PanelClient.browser(port).login(fixture.reseller2User.email(), Fixture.PASSWORD);

        HttpResponse<String> tooMuch = reseller.postForm("/tenants", Map.of("name", "Greedy", "kind", "client", "parentId", fixture.reseller2.id(),
                "maxServers", "5", "maxSites", "5", "maxMailboxes", "5", "maxUsers", "50"));
        assertThat(tooMuch.statusCode()).isEqualTo(422);
        assertThat(tooMuch.body()).contains("At most 4");
        HttpResponse<String> ownLimitsNone = reseller.postForm("/tenants", Map.of("name", "Bounded by parent", "kind", "client",
                "parentId", fixture.reseller2.id()));
        assertThat(ownLimitsNone.statusCode()).as("no own limit: the parent's limit still counts").isEqualTo(302);

        // reseller2's subtree has 3 users (reseller2User, client2User, client2Other): room for exactly one more.
        HttpResponse<String> fifth = reseller.postForm("/users", Map.of("tenantId", fixture.client2.id(), "email", "fifth@example.test",
                "displayName", "Fifth", "role", ""));
        assertThat(fifth.statusCode()).isEqualTo(200);
        HttpResponse<String> sixth = reseller.postForm("/users", Map.of("tenantId", fixture.client2.id(), "email", "sixth@example.test",
                "displayName", "Sixth", "role", ""));
        assertThat(sixth.statusCode()).isEqualTo(422);
        assertThat(sixth.body()).contains("user limit");
    }

    @Test
    void theSessionIdChangesAtLogin() {
        PanelClient browser = PanelClient.browser(port);
        browser.get("/login");
        String before = browser.cookie("VIPSESSION").orElseThrow();
        browser.login(fixture.client2Other.email(), Fixture.PASSWORD);
        assertThat(browser.cookie("VIPSESSION")).isPresent().get().isNotEqualTo(before);
    }

    @Test
    void theTenantSwitcherNarrowsTheViewAndCannotLeaveOnesSubtree() {
        PanelClient reseller = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        assertThat(reseller.postForm("/switch-tenant", Map.of("tenantId", fixture.client2.id())).statusCode()).isEqualTo(404);
        assertThat(reseller.get("/users").body()).contains(fixture.reseller1User.email());

        assertThat(reseller.postForm("/switch-tenant", Map.of("tenantId", fixture.client1.id())).statusCode()).isEqualTo(302);
        String body = reseller.get("/users").body();
        String usersTable = body.substring(body.indexOf("id=\"users\""), body.indexOf("</table>", body.indexOf("id=\"users\"")));
        assertThat(usersTable).contains(fixture.client1User.email()).doesNotContain(fixture.reseller1User.email());
    }

    @Test
    void superadminsMoveStaffBetweenAdminAndSuperadminOnly() {
        PanelClient adminSession = PanelClient.browser(port).login(fixture.admin.email(), Fixture.PASSWORD);
        PanelClient api = PanelClient.api(port, fixture.tokenOf(fixture.superadmin));
        String path = "/api/v1/users/" + fixture.admin.userId() + "/role";

        HttpResponse<String> promoted = api.send("POST", path, "{\"role\": \"superadmin\"}");
        assertThat(promoted.statusCode()).isEqualTo(200);
        assertThat(promoted.body()).contains("\"role\":\"superadmin\"");
        assertThat(adminSession.get("/").headers().firstValue("Location")).as("the new role applies from the next sign-in")
                .hasValueSatisfying(l -> assertThat(l).contains("/login?ended"));
        assertThat(api.send("POST", path, "{\"role\": \"admin\"}").statusCode()).isEqualTo(200);

        assertThat(api.send("POST", path, "{\"role\": \"root\"}").statusCode()).isEqualTo(422);
        assertThat(api.send("POST", path, "{\"role\": \"client\"}").statusCode()).isEqualTo(422);
        assertThat(api.send("POST", "/api/v1/users/" + fixture.client1User.userId() + "/role", "{\"role\": \"admin\"}").statusCode())
                .as("a client cannot be made staff").isEqualTo(422);
        assertThat(api.send("POST", "/api/v1/users/" + fixture.superadmin.userId() + "/role", "{\"role\": \"admin\"}").statusCode())
                .as("nobody demotes themselves").isEqualTo(422);
    }
}
