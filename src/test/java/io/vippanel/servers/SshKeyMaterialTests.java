package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.automation.HostKeyScanner;
import io.vippanel.automation.SshKey;
import io.vippanel.platform.InvalidInput;
import io.vippanel.servers.internal.SshKeyMaterial;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.junit.jupiter.api.Test;

/** The panel's own key pairs, and people's public keys parsed (not pattern-matched) before they reach a server. */
class SshKeyMaterialTests {

    /** A 1024-bit DSA key made with ssh-keygen (generating DSA parameters in the test takes seconds). */
    private static final String DSA_KEY = "ssh-dss AAAAB3NzaC1kc3MAAACBAOEsyht47pn4WJAGQCaPWNnR+TwODLiXS/gAO/zSkRlSmYKBcJVp/+Me751aGEWP0h5pZUPRMRMRUdCzGVKBwgdCOECFDnhtWs5zxneaWmkx/lWuHmdtu5bPrbxGb8UWsKIn84JYsQTOWHoaRqGV59KXHXVSxbSOfCjMzCwrtJz5AAAAFQDSQQNwE0smCaXB1INsEnXxGQKb6QAAAIEAmkMWizvr6StaZe7djc6kUeUtA5UwZ7F5LxuWceaknnWGG0mqhRsT0IVmcFuNWn+HbB+HglyFKH2o6kXGyzpnsSKIf3gn7TVCqy6Ye7UKyoZZMG6OXtRqimD+qwsdCmAsOrf3jkyGxFrI+sdvvKHLFNnwvvTY3Xc4LDVvSfWkISUAAACAH0NFLY49D0eZbfoBSqp5WaNomTovYoNWSmhQM8Rr0+FfGRmnyklbMyLLE50ZTYUMAkCGi0rFtuZruKU3ypvYDoKfB/XzfvocJ8R6XsjjPCARcGFmP7JoVuG+sTjf1ESt0h1X8AgoquC4dKtBYdcs55gfxs5MVCnSDu5Gy1TRmwY=";

    @Test
    void aGeneratedKeyPairLogsInAsAnOpenSshKeyAndItsPublicHalfCanBeDerivedAgain() {
        SshKeyMaterial.KeyPair pair = SshKeyMaterial.generateEd25519("vip-panel@srv_test");

        assertThat(pair.privateKeyPem()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        SshKey.of(pair.privateKeyPem()); // sshj reads it, as the runners will
        assertThat(pair.publicKeyLine()).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5").endsWith(" vip-panel@srv_test");
        assertThat(SshKeyMaterial.publicLineOf(pair.privateKeyPem(), "vip-panel@srv_test")).isEqualTo(pair.publicKeyLine());
        assertThat(pair.toString()).doesNotContain("PRIVATE");
        assertThat(SshKeyMaterial.generateEd25519("x").publicKeyLine()).isNotEqualTo(pair.publicKeyLine());
    }

    @Test
    void ed25519EcdsaAndLargeRsaKeysAreAcceptedWithTheirFingerprint() throws Exception {
        String ed25519 = SshKeyMaterial.generateEd25519("alice@laptop").publicKeyLine();
        SshKeyMaterial.PublicKey parsed = SshKeyMaterial.parsePublicKey("key", "  " + ed25519 + "\n");
        assertThat(parsed.type()).isEqualTo("ssh-ed25519");
        assertThat(parsed.bits()).isEqualTo(256);
        assertThat(parsed.fingerprint()).isEqualTo(HostKeyScanner.sha256Fingerprint(ed25519.split(" ")[1])).startsWith("SHA256:");
        assertThat(parsed.line()).isEqualTo(ed25519);

        SshKeyMaterial.PublicKey rsa = SshKeyMaterial.parsePublicKey("key", rsaLine(3072) + " bob@desk");
        assertThat(rsa.type()).isEqualTo("ssh-rsa");
        assertThat(rsa.bits()).isEqualTo(3072);

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        AsymmetricKeyParameter ecKey = PublicKeyFactory.createKey(ec.generateKeyPair().getPublic().getEncoded());
        String ecLine = "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(ecKey));
        assertThat(SshKeyMaterial.parsePublicKey("key", ecLine).type()).isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void weakWrongAndDamagedKeysAreRefusedWithAReason() throws Exception {
        assertRefused(rsaLine(1024), "at least 2048 bits; this one has 1024");
        assertRefused(DSA_KEY, "not accepted");
        assertRefused("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "private key");
        assertRefused("ssh-ed25519 not*base64!", "base64");
        assertRefused("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", "does not parse");
        assertRefused("ssh-rsa " + SshKeyMaterial.generateEd25519("x").publicKeyLine().split(" ")[1], "holds a ssh-ed25519 key");
        assertRefused("", "Paste a public key");
        assertRefused("AAAAC3NzaC1lZDI1NTE5", "has a type and the key");
        assertRefused(SshKeyMaterial.generateEd25519("x").publicKeyLine() + "\n" + SshKeyMaterial.generateEd25519("y").publicKeyLine(), "one line");
        assertRefused(SshKeyMaterial.generateEd25519("bad\u0007comment").publicKeyLine(), "printable ASCII");
        assertRefused("command=\"rm -rf /\" " + SshKeyMaterial.generateEd25519("x").publicKeyLine(), "not accepted");
    }

    private static void assertRefused(String line, String reason) {
        assertThatThrownBy(() -> SshKeyMaterial.parsePublicKey("publicKey", line))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.fieldErrors().get("publicKey")).contains(reason));
    }

    private static String rsaLine(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
        RSAKeyParameters parameters = new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent());
        return "ssh-rsa " + Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(parameters));
    }
}
