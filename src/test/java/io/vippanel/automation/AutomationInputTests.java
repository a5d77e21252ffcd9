package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the automation API refuses before anything runs: bad hosts, unpinned hosts, bad keys, unsafe variables. */
class AutomationInputTests {

    private static final String PINNED = "[203.0.113.7]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKz2N6dYvL1p0s3QeHkqQWvZ0Hnq3a7mYwFf3LZ0b1Xy\n";
    private static final String PKCS8_PEM = pkcs8RsaKey();

    private final ManagedHost host = new ManagedHost("203.0.113.7", 2222, "deploy", PINNED);
    private final SshKey key = SshKey.of(PKCS8_PEM);

    @Test
    void aHostNeedsAPinnedKeyAndPlainAddressAndUser() {
        assertThatThrownBy(() -> new ManagedHost("203.0.113.7", 22, "deploy", "")).hasMessageContaining("No pinned SSH host key");
        assertThatThrownBy(() -> new ManagedHost("-oProxyCommand=sh", 22, "deploy", PINNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ManagedHost("203.0.113.7", 22, "{{ lookup('env','HOME') }}", PINNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ManagedHost("203.0.113.7", 0, "deploy", PINNED)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ManagedHost("2001:db8::7", 22, "root", PINNED).endpoint()).isEqualTo("[2001:db8::7]:22");
        assertThat(host.endpoint()).isEqualTo("203.0.113.7:2222");
    }

    @Test
    void aKeyMustBeAReadableUnencryptedPrivateKeyAndNeverShowsItself() {
        assertThat(key.toString()).isEqualTo("SshKey[********]").doesNotContain("PRIVATE");
        assertThatThrownBy(() -> SshKey.of("")).isInstanceOf(IllegalArgumentException.class);
        String damaged = PKCS8_PEM.substring(0, PKCS8_PEM.length() / 2) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> SshKey.of(damaged)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(PKCS8_PEM.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void playbookVariablesCannotOverrideConnectionSettingsAndSecretsMustBeVariables() {
        assertThatThrownBy(() -> PlaybookRun.of("check-connection.yml", host, key, Map.of("ansible_ssh_extra_args", "-o StrictHostKeyChecking=no")))
                .hasMessageContaining("ansible_ssh_extra_args");
        assertThatThrownBy(() -> PlaybookRun.of("check-connection.yml", host, key, Map.of("bad-name", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaybookRun("check-connection.yml", host, key, Map.of("db_password", "x"), Set.of("db_pasword"), null))
                .hasMessageContaining("db_pasword");
        assertThatThrownBy(() -> new PlaybookRun("check-connection.yml", host, key, Map.of(), Set.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlaybookRun.of("../secrets.yml", host, key, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunDescribesItselfWithoutVariableValues() {
        PlaybookRun run = new PlaybookRun("check-connection.yml", host, key, Map.of("db_password", "hunter2-secret"), Set.of("db_password"), null);

        assertThat(run.toString()).contains("check-connection.yml", "203.0.113.7:2222", "db_password").doesNotContain("hunter2-secret");
    }

    private static String pkcs8RsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
