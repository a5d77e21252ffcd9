package io.vippanel.ssl.internal.cert;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM text people paste. Messages never quote the pasted text: it may hold a private key.
 */
final class PemInput {

    static final int MAX_CHARS = 64 * 1024;

    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private PemInput() {
    }

    /** Every certificate in the text, in the order given; refuses anything else. */
    static List<X509Certificate> certificates(String pem, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(pem, what)) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new CertificateProblem(isKey(object)
                        ? "This is a private key; paste it in the private key field, and the " + what + " here."
                        : "Only certificates (-----BEGIN CERTIFICATE-----) belong here.");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new CertificateProblem("The " + what + " PEM is damaged: a certificate in it cannot be read.");
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateProblem("No certificate found; paste the text from -----BEGIN CERTIFICATE----- to "
                    + "-----END CERTIFICATE-----.");
        }
        return certificates;
    }

    /** The one private key in the text: PKCS#8, PKCS#1 RSA or SEC1 EC, without a passphrase. */
    static PrivateKey privateKey(String pem) {
        List<PrivateKeyInfo> keys = new ArrayList<>();
        for (Object object : objects(pem, "private key")) {
            switch (object) {
                case PrivateKeyInfo info -> keys.add(info);
                case PEMKeyPair pair -> keys.add(pair.getPrivateKeyInfo());
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted();
                case PEMEncryptedKeyPair ignored -> throw encrypted();
                // OpenSSL writes the curve as a separate EC PARAMETERS block before a SEC1 key; the key names it too.
                case ASN1ObjectIdentifier ignored -> {
                }
                default -> throw new CertificateProblem(object instanceof X509CertificateHolder
                        ? "This is a certificate; paste it in the certificate field, and the private key here."
                        : "Only a private key belongs here.");
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateProblem("No private key found; paste the text from -----BEGIN PRIVATE KEY----- (or BEGIN RSA "
                    + "PRIVATE KEY, BEGIN EC PRIVATE KEY) to the matching END line.");
        }
        if (keys.size() > 1) {
            throw new CertificateProblem("Paste exactly one private key; this text holds " + keys.size() + ".");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(keys.getFirst());
        } catch (IOException | IllegalArgumentException e) {
            throw new CertificateProblem("The private key cannot be read; only RSA and EC keys are accepted.");
        }
    }

    static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has a DER encoding", e);
        }
    }

    /** The key in PKCS#8, the form every web server reads. */
    static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + PEM_BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static List<Object> objects(String pem, String what) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // BouncyCastle reports bad Base64 as IllegalStateException and bad ASN.1 as either of the others.
            throw new CertificateProblem("The " + what + " PEM is damaged: it cannot be decoded. Paste it again exactly as "
                    + "your certificate authority supplied it.");
        }
        return objects;
    }

    private static boolean isKey(Object object) {
        return object instanceof PrivateKeyInfo || object instanceof PEMKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo
                || object instanceof PEMEncryptedKeyPair;
    }

    private static CertificateProblem encrypted() {
        return new CertificateProblem("The private key is protected by a passphrase; remove the passphrase (for example with "
                + "openssl pkey -in encrypted.key -out plain.key) and paste the key without it.");
    }
}
