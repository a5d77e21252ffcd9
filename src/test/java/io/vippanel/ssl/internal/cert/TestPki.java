package io.vippanel.ssl.internal.cert;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/** A throw-away PKI for tests: a root, an intermediate below it, and leaves for site names (also used by the SSL module's other tests). */
public final class TestPki {

    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    public final Issued root;
    public final Issued intermediate;

    public TestPki(String name) {
        root = issue(null, "CN=" + name + " Root CA", ec(), true, NOW.minus(Duration.ofDays(3650)), NOW.plus(Duration.ofDays(3650)));
        intermediate = issue(root, "CN=" + name + " Intermediate CA", ec(), true, NOW.minus(Duration.ofDays(365)),
                NOW.plus(Duration.ofDays(1825)));
    }

    /** A leaf for the names, issued by the intermediate, valid for 90 days around {@link #NOW}. */
    public Issued leaf(String... dnsNames) {
        return leaf(ec(), NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(60)), dnsNames);
    }

    public Issued leaf(KeyPair keys, Instant notBefore, Instant notAfter, String... dnsNames) {
        return issue(intermediate, "CN=" + (dnsNames.length == 0 ? "no names" : dnsNames[0]), keys, false, notBefore, notAfter,
                dnsNames);
    }

    static Issued selfSigned(String... dnsNames) {
        return issue(null, "CN=" + dnsNames[0], ec(), false, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                dnsNames);
    }

    static Issued issue(@Nullable Issued issuer, String subject, KeyPair keys, boolean ca, Instant notBefore, Instant notAfter,
                        String... dnsNames) {
        try {
            X500Principal subjectName = new X500Principal(subject);
            X500Principal issuerName = issuer == null ? subjectName : issuer.certificate().getSubjectX500Principal();
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subjectName,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (dnsNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(dnsNames)
                        .map(name -> new GeneralName(GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
            }
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new Issued(new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey))), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        return ec("secp256r1");
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate... certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** {@code BEGIN PRIVATE KEY}. */
    static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}, as OpenSSL's traditional format writes them. */
    static String traditional(PrivateKey key) {
        return write(withCurveInside(key));
    }

    /**
     * The JDK writes an EC key's curve only around the key (PKCS#8), so its SEC1 form would lack the curve that OpenSSL
     * always writes; BouncyCastle's own key class keeps it inside.
     */
    private static PrivateKey withCurveInside(PrivateKey key) {
        if (!key.getAlgorithm().equals("EC")) {
            return key;
        }
        try {
            return new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider())
                    .getPrivateKey(PrivateKeyInfo.getInstance(key.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code BEGIN ENCRYPTED PRIVATE KEY}. */
    static String encryptedPkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code BEGIN RSA PRIVATE KEY} with {@code Proc-Type: 4,ENCRYPTED}. */
    static String encryptedTraditional(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(withCurveInside(key), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider())
                    .build("secret".toCharArray()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
