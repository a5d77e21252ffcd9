package io.vippanel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Invitations and password resets delivered over real SMTP (GreenMail on loopback). */
@PanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailFlowTests {

    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("vip.mail.host", () -> "127.0.0.1");
        registry.add("vip.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("vip.mail.from", () -> "panel@example.test");
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Fixture fixture;

    @BeforeAll
    void seed() {
        fixture = Fixture.create(context);
    }

    @AfterAll
    void stop() {
        SMTP.stop();
    }

    @Test
    void anInvitedUserGetsTheLinkByMail() {
        PanelClient reseller = PanelClient.browser(port).login(fixture.reseller1User.email(), Fixture.PASSWORD);
        HttpResponse<String> page = reseller.postForm("/users", Map.of("tenantId", fixture.client1.id(), "email", "mailed@example.test",
                "displayName", "Mailed", "role", ""));
        assertThat(page.body()).contains("It was emailed");

        String path = linkIn(messageTo("mailed@example.test"), "/invite/");
        PanelClient invitee = PanelClient.browser(port);
        invitee.refreshCsrfFrom(path);
        assertThat(invitee.postForm(path, Map.of("password", "Invited and mailed 123")).statusCode()).isEqualTo(302);
        PanelClient.browser(port).login("mailed@example.test", "Invited and mailed 123");
    }

    @Test
    void aPasswordResetWorksOnceAndEndsOldSessions() {
        PanelClient oldSession = PanelClient.browser(port).login(fixture.client2User.email(), Fixture.PASSWORD);
        PanelClient anyone = PanelClient.browser(port);
        anyone.refreshCsrfFrom("/forgot");
        anyone.postForm("/forgot", Map.of("email", fixture.client2User.email().toUpperCase()));

        String path = linkIn(messageTo(fixture.client2User.email()), "/reset/");
        anyone.refreshCsrfFrom(path);
        assertThat(anyone.postForm(path, Map.of("password", "Brand new secret 2026")).statusCode()).isEqualTo(302);
        assertThat(anyone.get(path).statusCode()).isEqualTo(410);
        assertThat(oldSession.get("/").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?ended"));
        assertThat(PanelClient.browser(port).loginAttempt(fixture.client2User.email(), Fixture.PASSWORD).statusCode()).isEqualTo(401);
        PanelClient.browser(port).login(fixture.client2User.email(), "Brand new secret 2026");
    }

    @Test
    void noMailGoesToUnknownAddresses() throws Exception {
        int before = SMTP.getReceivedMessages().length;
        PanelClient anyone = PanelClient.browser(port);
        anyone.refreshCsrfFrom("/forgot");
        anyone.postForm("/forgot", Map.of("email", "stranger@example.test"));
        Thread.sleep(300);
        assertThat(SMTP.getReceivedMessages()).hasSize(before);
    }

    private static MimeMessage messageTo(String address) {
        SMTP.waitForIncomingEmail(5000, 1);
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> recipients(m).contains(address))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no mail to " + address));
    }

    private static String recipients(MimeMessage message) {
        try {
            return GreenMailUtil.getAddressList(message.getAllRecipients());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String linkIn(MimeMessage message, String prefix) {
        Matcher matcher = Pattern.compile("https?://[^/\\s]+(" + Pattern.quote(prefix) + "[a-z2-9]{40})").matcher(GreenMailUtil.getBody(message));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
