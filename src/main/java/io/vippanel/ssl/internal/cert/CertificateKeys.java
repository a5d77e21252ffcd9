package io.vippanel.ssl.internal.cert;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Key rules for a site certificate: strong enough for browsers, and the private key belongs to the certificate. */
final class CertificateKeys {

    static final int MIN_RSA_BITS = 2048;

    /** The curves browsers accept for TLS server certificates, by the order of their base point. */
    private static final Map<BigInteger, String> CURVES = Map.of(order("secp256r1"), "P-256", order("secp384r1"), "P-384");

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateKeys() {
    }

    /** Why the certificate's key is too weak or of a kind browsers refuse, or empty when it is fine. */
    static Optional<String> weakness(PublicKey key) {
        return switch (key) {
            case RSAKey rsa when rsa.getModulus().bitLength() < MIN_RSA_BITS -> Optional.of("Its RSA key has "
                    + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS + " are required.");
            case RSAKey ignored when "RSA".equals(key.getAlgorithm()) -> Optional.empty();
            case ECKey ec when CURVES.containsKey(ec.getParams().getOrder()) -> Optional.empty();
            case ECKey ec -> Optional.of("Its EC key uses a " + ec.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve that is not accepted; use P-256 or P-384.");
            default -> Optional.of("Its " + key.getAlgorithm() + " key is not accepted; use RSA (" + MIN_RSA_BITS
                    + " bits or more) or EC (P-256 or P-384).");
        };
    }

    /**
     * Whether the private key belongs to the certificate's public key: the key parameters agree, and a signature made
     * with the private key verifies with the public key, which proves it.
     */
    static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        boolean sameParameters = switch (privateKey) {
            case RSAKey rsa when publicKey instanceof RSAKey certificateKey -> rsa.getModulus().equals(certificateKey.getModulus());
            case ECKey ec when publicKey instanceof ECKey certificateKey -> sameCurve(ec.getParams(), certificateKey.getParams());
            default -> false;
        };
        return sameParameters && signatureVerifies(privateKey, publicKey);
    }

    private static boolean sameCurve(ECParameterSpec one, ECParameterSpec other) {
        return one.getOrder().equals(other.getOrder()) && one.getCurve().equals(other.getCurve())
                && Objects.equals(one.getGenerator(), other.getGenerator());
    }

    private static boolean signatureVerifies(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = privateKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static BigInteger order(String curve) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK knows the curve " + curve, e);
        }
    }
}
