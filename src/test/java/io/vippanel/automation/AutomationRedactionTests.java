package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.internal.SecretRedactor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which forms of a secret the redactor masks (the end-to-end check through ansible is in AutomationPlaybookRunnerTests). */
class AutomationRedactionTests {

    private static final String SECRET = "p@ss \"word\"\\x/ä";

    private final SecretRedactor redactor = new SecretRedactor(List.of(SECRET));

    @Test
    void masksTheValueAndTheEncodingsTasksPrintItIn() {
        String base64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        String json = "p@ss \\\"word\\\"\\\\x/ä";

        assertThat(redactor.redact("raw " + SECRET + " end")).isEqualTo("raw ******** end");
        assertThat(redactor.redact("{\"msg\": \"" + json + "\"}")).isEqualTo("{\"msg\": \"********\"}");
        assertThat(redactor.redact("url=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))).isEqualTo("url=********");
        assertThat(redactor.redact("b64 " + base64)).isEqualTo("b64 ********");
        assertThat(redactor.redact("twice " + SECRET + SECRET)).isEqualTo("twice ****************");
    }

    @Test
    void masksEachLineOfAMultiLineSecretBecauseOutputIsMaskedLineByLine() {
        SecretRedactor keyRedactor = new SecretRedactor(List.of("-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQAB\nQyZ8XkLm0p\n-----END KEY-----\n"));

        assertThat(keyRedactor.redact("line AAAAB3NzaC1yc2EAAAADAQAB")).isEqualTo("line ********");
        assertThat(keyRedactor.redact("QyZ8XkLm0p")).isEqualTo("********");
    }

    @Test
    void leavesValuesShorterThanFourCharactersAlone() {
        SecretRedactor shortOnes = new SecretRedactor(List.of("80", "on", "abc"));

        assertThat(shortOnes.isEmpty()).isTrue();
        assertThat(shortOnes.redact("listen on port 80 for abc")).isEqualTo("listen on port 80 for abc");
    }

    @Test
    void masksAContainingSecretAsAWhole() {
        SecretRedactor nested = new SecretRedactor(List.of("hunter2", "user:hunter2@db"));

        assertThat(nested.redact("dsn=user:hunter2@db")).isEqualTo("dsn=********");
    }
}
