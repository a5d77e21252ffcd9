package io.vippanel.ssl.internal.acme;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

/** Key pairs to and from PEM: a private key's PEM holds its public key too, so one text is all a caller stores. */
final class AcmeKeys {

    /**
     * Makes the EC keys: the JDK's EC private keys leave the public key out of their encoding, so their PEM could not
     * restore the pair. Used directly, not registered, so the JVM's providers stay as they are.
     */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private AcmeKeys() {
    }

    static KeyPair newEcP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 keys: " + e.getMessage(), e);
        }
    }

    static KeyPair newRsa2048() {
        return KeyPairUtils.createKeyPair(2048);
    }

    static String toPem(KeyPair keyPair) {
        StringWriter pem = new StringWriter();
        try {
            KeyPairUtils.writeKeyPair(keyPair, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pem.toString();
    }

    /** Never shows the text in the message: it is a private key. */
    static KeyPair fromPem(String pem, String what) {
        try {
            return KeyPairUtils.readKeyPair(new StringReader(pem));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " is not a PEM private key");
        }
    }
}
