package io.vippanel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.identity.internal.PasswordPolicy;
import io.vippanel.identity.internal.Totp;
import io.vippanel.platform.VipProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CredentialRulesTests {

    private final VipProperties properties = new Binder(new MapConfigurationPropertySource(java.util.Map.of("vip.mode", "cli")))
            .bindOrCreate("vip", VipProperties.class);

    @Test
    void passwordsMustBeLongUncommonAndNotTheEmail() throws Exception {
        PasswordPolicy policy = new PasswordPolicy(properties);
        assertThat(policy.problem("short", "a@x.test")).hasValueSatisfying(p -> assertThat(p).contains("12"));
        assertThat(policy.problem("password1234", "a@x.test")).hasValueSatisfying(p -> assertThat(p).contains("commonly used"));
        assertThat(policy.problem("qwertyuiop123!", "a@x.test")).isPresent();
        assertThat(policy.problem("ada.lovelace@x.test!", "ada.lovelace@x.test")).isPresent();
        assertThat(policy.problem("x".repeat(300), "a@x.test")).isPresent();
        assertThat(policy.problem("Correct horse battery staple", "a@x.test")).isEmpty();
    }

    @Test
    void passwordHashesAreArgon2idAndVerify() throws Exception {
        PasswordPolicy policy = new PasswordPolicy(properties);
        String hash = policy.hash("Correct horse battery staple");
        assertThat(hash).startsWith("$argon2id$");
        assertThat(policy.matches("Correct horse battery staple", hash)).isTrue();
        assertThat(policy.matches("correct horse battery staple", hash)).isFalse();
    }

    @Test
    void totpAcceptsTheCurrentAndAdjacentStepsOnly() {
        Instant now = Instant.parse("2026-11-25T12:00:10Z");
        Totp totp = new Totp(Clock.fixed(now, ZoneOffset.UTC));
        String secret = totp.newSecret();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(totp.matchingStep(secret, totp.codeAt(secret, now))).hasValue(now.getEpochSecond() / 30);
        assertThat(totp.matchingStep(secret, totp.codeAt(secret, now.minusSeconds(30)))).isPresent();
        assertThat(totp.matchingStep(secret, totp.codeAt(secret, now.plusSeconds(30)))).isPresent();
        assertThat(totp.matchingStep(secret, totp.codeAt(secret, now.minusSeconds(120)))).isEmpty();
        assertThat(totp.matchingStep(secret, "12345")).isEmpty();
        assertThat(totp.matchingStep(secret, "abcdef")).isEmpty();
        assertThat(totp.uri(secret, "a b@x.test")).startsWith("otpauth://totp/VIP%20Panel%3Aa%20b%40x.test?secret=" + secret);
        assertThat(totp.qrSvg(totp.uri(secret, "a@x.test"))).startsWith("<svg").endsWith("</svg>");
    }

    @Test
    void everyFailedLoginLineMatchesTheShippedFail2banFilter() throws Exception {
        String filter = Files.readString(Path.of("deploy/fail2ban/filter.d/vip-panel.conf"));
        String failregex = filter.lines().filter(l -> l.startsWith("failregex")).findFirst().orElseThrow().split("=", 2)[1].strip();
        Pattern pattern = Pattern.compile(failregex.replace("<ADDR>", "(?<addr>[0-9a-fA-F:.]+)"));
        String line = "2026-11-25T21:40:01.123Z  WARN 1234 --- [vip-panel] [nio-8080-exec-1] io.vippanel.identity.LoginAudit          : "
                + "VIP-AUTH-FAIL ip=203.0.113.9 user=\"x@example.test\" reason=bad_credentials";
        var matcher = pattern.matcher(line);
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group("addr")).isEqualTo("203.0.113.9");
        assertThat(pattern.matcher(line.replace("LoginAudit", "SomethingElse")).find()).isFalse();
    }
}
