package io.vippanel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.identity.Accounts;
import io.vippanel.identity.LoginResult;
import io.vippanel.identity.internal.Totp;
import io.vippanel.platform.RequestOrigin;
import io.vippanel.platform.crypto.SecretBox;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelCli;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.PanelTestInitializer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The command line, health and metrics, API docs, security headers, and master-key rotation. */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsTests {

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
    void createAdminAndCreateTokenWorkFromTheCommandLine() throws Exception {
        Path passwordFile = Files.createTempFile("pw", ".txt");
        Files.writeString(passwordFile, "Scripted install pass 1\n");
        PanelCli.Result admin = cli("create-admin", "--email", "Scripted@Example.test", "--password-file", passwordFile.toString());
        assertThat(admin.exitCode()).as(admin.output()).isZero();
        assertThat(admin.output()).contains("created superadmin usr_").contains("scripted@example.test");

        PanelCli.Result again = cli("create-admin", "--email", "scripted@example.test", "--password-file", passwordFile.toString());
        assertThat(again.exitCode()).isEqualTo(2);

        PanelCli.Result token = cli("create-token", "--email", "scripted@example.test", "--name", "ci");
        assertThat(token.exitCode()).isZero();
        String secret = token.output().strip();
        assertThat(secret).matches("vip_[a-z2-9]{40}");
        HttpResponse<String> me = PanelClient.api(port, secret).send("GET", "/api/v1/me", null);
        assertThat(me.body()).contains("\"role\":\"superadmin\"");

        assertThat(cli("rollback", "--count", "0").exitCode()).isEqualTo(2);
        assertThat(cli("serve", "--role=nonsense").exitCode()).isEqualTo(2);
        assertThat(cli("migrate").output()).contains("up to date");
    }

    @Test
    void healthMetricsAndApiDocsAnswer() {
        PanelClient anonymous = PanelClient.browser(port);
        assertThat(anonymous.get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(anonymous.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        String docs = anonymous.get("/v3/api-docs").body();
        assertThat(docs).contains("\"openapi\"").contains("/api/v1/tenants").contains("/api/v1/audit");
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyAndNoFraming() {
        HttpResponse<String> login = PanelClient.browser(port).get("/login");
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self' 'nonce-").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.body()).doesNotContain("onclick=", "onload=", "<script>");
    }

    @Test
    void rotatingTheMasterKeyKeepsTwoFactorSecretsReadable() {
        Accounts accounts = context.getBean(Accounts.class);
        Totp totp = context.getBean(Totp.class);
        Accounts.Enrolment enrolment = accounts.beginEnrolment(fixture.reseller2User);
        accounts.confirmEnrolment(fixture.reseller2User, enrolment.secret(), totp.codeAt(enrolment.secret(), Instant.now()));

        int reEncrypted = context.getBean(SecretBox.class).rotate();
        assertThat(reEncrypted).isPositive();

        var result = accounts.login(fixture.reseller2User.email(), Fixture.PASSWORD, new RequestOrigin("192.0.2.200", "test"));
        String userId = ((LoginResult.NeedsCode) result).userId();
        var signedIn = accounts.secondFactor(userId, totp.codeAt(enrolment.secret(), Instant.now().plusSeconds(30)),
                new RequestOrigin("192.0.2.200", "test"));
        assertThat(signedIn).isInstanceOf(LoginResult.SignedIn.class);
    }

    private static PanelCli.Result cli(String... args) {
        return PanelCli.run(PanelTestInitializer.DATABASE_URL, args);
    }
}
