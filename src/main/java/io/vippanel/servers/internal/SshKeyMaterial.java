package io.vippanel.servers.internal;

import io.vippanel.automation.HostKeyScanner;
import io.vippanel.platform.InvalidInput;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * SSH key material the servers module makes and accepts: the panel's own ed25519 key pair per server, and
 * people's public keys, parsed (not pattern-matched) so that only real ed25519, ECDSA and RSA >= 2048 keys are
 * installed on servers.
 */
public final class SshKeyMaterial {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern COMMENT = Pattern.compile("[\\x20-\\x7e]{0,200}");

    private SshKeyMaterial() {
    }

    /** A new key pair: the private half in OpenSSH format, the public half as an authorized_keys line. */
    public record KeyPair(String privateKeyPem, String publicKeyLine) {
        @Override
        public String toString() {
            return "KeyPair[" + publicKeyLine + ", ********]";
        }
    }

    /** A parsed public key. */
    public record PublicKey(String type, int bits, String fingerprint, String line) {
    }

    public static KeyPair generateEd25519(String comment) {
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

    /** The authorized_keys line of an ed25519 private key made by {@link #generateEd25519}. */
    public static String publicLineOf(String privateKeyPem, String comment) {
        String base64 = privateKeyPem.replace("-----BEGIN OPENSSH PRIVATE KEY-----", "")
                .replace("-----END OPENSSH PRIVATE KEY-----", "").replaceAll("\\s", "");
        AsymmetricKeyParameter key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(Base64.getDecoder().decode(base64));
        if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
            throw new IllegalArgumentException("Not an ed25519 key made by the panel.");
        }
        try {
            byte[] blob = OpenSSHPublicKeyUtil.encodePublicKey(ed25519.generatePublicKey());
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob) + " " + comment;
        } catch (IOException e) {
            throw new IllegalStateException("Encoding an ed25519 public key failed", e);
        }
    }

    /**
     * Parses one authorized_keys-style line {@code type base64 [comment]} (no options in front).
     *
     * @throws InvalidInput on field {@code field} with a message a person can act on
     */
    public static PublicKey parsePublicKey(String field, String text) {
        String line = text == null ? "" : text.strip();
        if (line.isEmpty()) {
            throw new InvalidInput(field, "Paste a public key, e.g. the contents of ~/.ssh/id_ed25519.pub.");
        }
        if (line.contains("PRIVATE KEY")) {
            throw new InvalidInput(field, "This is a private key. Paste the public key (the .pub file) and keep the private key to yourself.");
        }
        if (line.contains("\n") || line.contains("\r")) {
            throw new InvalidInput(field, "Paste one key on one line.");
        }
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 2) {
            throw new InvalidInput(field, "A public key has a type and the key itself, e.g. \"ssh-ed25519 AAAAC3...\".");
        }
        String type = parts[0];
        String comment = parts.length == 3 ? parts[2] : "";
        if (!COMMENT.matcher(comment).matches()) {
            throw new InvalidInput(field, "The key's comment may only hold printable ASCII (up to 200 characters).");
        }
        if (!type.equals("ssh-ed25519") && !type.equals("ssh-rsa") && !type.startsWith("ecdsa-sha2-nistp")) {
            throw new InvalidInput(field, "Key type " + abbreviate(type) + " is not accepted; use ed25519, ECDSA or RSA (2048 bits or more).");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, "The key is damaged: its base64 part does not decode.");
        }
        AsymmetricKeyParameter key;
        try {
            key = OpenSSHPublicKeyUtil.parsePublicKey(blob);
        } catch (RuntimeException e) {
            throw new InvalidInput(field, "The key is damaged or incomplete: it does not parse as an SSH public key.");
        }
        int bits;
        String parsedType;
        if (key instanceof Ed25519PublicKeyParameters) {
            parsedType = "ssh-ed25519";
            bits = 256;
        } else if (key instanceof RSAKeyParameters rsa) {
            parsedType = "ssh-rsa";
            bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw new InvalidInput(field, "RSA keys need at least 2048 bits; this one has " + bits + ".");
            }
        } else if (key instanceof ECPublicKeyParameters ec) {
            bits = ec.getParameters().getCurve().getFieldSize();
            parsedType = "ecdsa-sha2-nistp" + bits;
        } else {
            throw new InvalidInput(field, "Only ed25519, ECDSA and RSA keys are accepted.");
        }
        if (!parsedType.equals(type)) {
            throw new InvalidInput(field, "The key says it is " + abbreviate(type) + " but holds a " + parsedType + " key.");
        }
        String canonical = type + " " + Base64.getEncoder().encodeToString(blob) + (comment.isEmpty() ? "" : " " + comment);
        return new PublicKey(type, bits, HostKeyScanner.sha256Fingerprint(parts[1]), canonical);
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e…]", "?") + "\"";
    }
}
