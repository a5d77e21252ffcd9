package io.vippanel.sites.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/** A site's deploy key: an ed25519 pair whose public half people add to their repository (read-only). */
public final class DeployKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeployKeys() {
    }

    /** A new key pair: the private half in OpenSSH format, the public half as an authorized_keys line. */
    public record KeyPair(String privateKeyPem, String publicKeyLine) {
        @Override
        public String toString() {
            return "KeyPair[" + publicKeyLine + ", ********]";
        }
    }

    public static KeyPair generate(String comment) {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        try {
            byte[] privateBlob = OpenSSHPrivateKeyUtil.encodePrivateKey(pair.getPrivate());
            String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(privateBlob)
                    + "\n-----END OPENSSH PRIVATE KEY-----\n";
            byte[] publicBlob = OpenSSHPublicKeyUtil.encodePublicKey(pair.getPublic());
            return new KeyPair(pem, "ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob) + " " + comment);
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a new ed25519 key pair failed", e);
        }
    }
}
