package io.vippanel.ssl.internal.cert;

import static io.vippanel.ssl.internal.cert.CustomCertificateValidator.CERTIFICATE;
import static io.vippanel.ssl.internal.cert.CustomCertificateValidator.CHAIN;
import static io.vippanel.ssl.internal.cert.CustomCertificateValidator.PRIVATE_KEY;
import static io.vippanel.ssl.internal.cert.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomCertificateValidatorTests {

    private static final TestPki PKI = new TestPki("Test");
    private static final TestPki.Issued SITE = PKI.leaf("example.com", "www.example.com");
    private static final List<String> SITE_NAMES = List.of("example.com", "www.example.com");

    private final CustomCertificateValidator validator =
            new CustomCertificateValidator(TrustAnchors.of(PKI.root.certificate()), Clock.fixed(NOW, ZoneOffset.UTC));

    @Nested
    class Accepted {

        @Test
        void aCertificateWithItsIntermediateAndKeyIsNormalised() {
            ValidatedCertificate valid = valid(upload(SITE, PKI.intermediate.certificate()));

            assertThat(valid.chainPem()).isEqualTo(TestPki.pem(SITE.certificate(), PKI.intermediate.certificate()));
            assertThat(valid.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
            assertSameKey(valid.privateKeyPem(), SITE.keys().getPrivate());
            CertificateSummary summary = valid.certificate();
            assertThat(summary.subject()).isEqualTo("CN=example.com");
            assertThat(summary.issuer()).isEqualTo("CN=Test Intermediate CA");
            assertThat(summary.dnsNames()).containsExactly("example.com", "www.example.com");
            assertThat(summary.serialHex()).isEqualTo(SITE.certificate().getSerialNumber().toString(16).toUpperCase());
            assertThat(summary.notBefore()).isEqualTo(SITE.certificate().getNotBefore().toInstant());
            assertThat(summary.notAfter()).isEqualTo(SITE.certificate().getNotAfter().toInstant());
            assertThat(summary.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
            assertThat(valid.warnings()).isEmpty();
        }

        @Test
        void aChainInTheWrongOrderWithTheRootIsPutInIssuingOrderWithoutTheRoot() {
            TestPki.Issued second = TestPki.issue(PKI.intermediate, "CN=Second Intermediate", TestPki.ec(), true,
                    NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(400)));
            TestPki.Issued leaf = TestPki.issue(second, "CN=example.com", TestPki.ec(), false, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(90)), "example.com", "www.example.com");

            ValidatedCertificate valid = valid(upload(leaf, PKI.root.certificate(), PKI.intermediate.certificate(),
                    second.certificate()));

            assertThat(valid.chainPem())
                    .isEqualTo(TestPki.pem(leaf.certificate(), second.certificate(), PKI.intermediate.certificate()));
            assertThat(valid.warnings()).singleElement().asString()
                    .contains("root certificate [CN=Test Root CA] was left out of the chain");
        }

        @Test
        void aFullChainPastedInTheCertificateFieldInAnyOrderFindsTheLeaf() {
            CertificateUpload upload = new CertificateUpload(TestPki.pem(PKI.intermediate.certificate(), SITE.certificate()), null,
                    TestPki.pkcs8(SITE.keys().getPrivate()), SITE_NAMES);

            assertThat(valid(upload).chainPem()).isEqualTo(TestPki.pem(SITE.certificate(), PKI.intermediate.certificate()));
        }

        @Test
        void pkcs1RsaKeysAreAcceptedAndWrittenAsPkcs8() {
            TestPki.Issued rsa = PKI.leaf(TestPki.rsa(2048), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                    "example.com", "www.example.com");
            String pkcs1 = TestPki.traditional(rsa.keys().getPrivate());
            assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");

            ValidatedCertificate valid = valid(withKey(upload(rsa, PKI.intermediate.certificate()), pkcs1));

            assertThat(valid.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
            assertSameKey(valid.privateKeyPem(), rsa.keys().getPrivate());
        }

        @Test
        void sec1EcKeysAreAcceptedWithOrWithoutTheirParametersBlock() {
            String sec1 = TestPki.traditional(SITE.keys().getPrivate());
            assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
            String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1;

            assertThat(valid(withKey(upload(SITE, PKI.intermediate.certificate()), sec1)).privateKeyPem())
                    .startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(valid(withKey(upload(SITE, PKI.intermediate.certificate()), withParameters)).privateKeyPem())
                    .startsWith("-----BEGIN PRIVATE KEY-----");
        }

        @Test
        void aP384KeyIsAccepted() {
            TestPki.Issued p384 = PKI.leaf(TestPki.ec("secp384r1"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                    "example.com", "www.example.com");

            assertThat(validator.check(upload(p384, PKI.intermediate.certificate())))
                    .isInstanceOf(CustomCertificateCheck.Valid.class);
        }

        @Test
        void aCertificateExpiringWithinSevenDaysIsAcceptedWithAWarning() {
            TestPki.Issued soon = PKI.leaf(TestPki.ec(), NOW.minus(Duration.ofDays(80)), NOW.plus(Duration.ofDays(3)),
                    "example.com", "www.example.com");

            assertThat(valid(upload(soon, PKI.intermediate.certificate())).warnings()).singleElement().asString()
                    .isEqualTo("The certificate expires on 2026-06-04 12:00 UTC, within 7 days; upload its renewal soon.");
        }

        @Test
        void aWildcardCoversOneLabelBelowIt() {
            TestPki.Issued wildcard = PKI.leaf("*.example.com", "example.com");
            CertificateUpload upload = new CertificateUpload(TestPki.pem(wildcard.certificate()),
                    TestPki.pem(PKI.intermediate.certificate()), TestPki.pkcs8(wildcard.keys().getPrivate()),
                    List.of("example.com", "www.example.com", "Shop.Example.com"));

            assertThat(validator.check(upload)).isInstanceOf(CustomCertificateCheck.Valid.class);
        }

        @Test
        void unrelatedCertificatesAreLeftOutWithAWarning() {
            TestPki other = new TestPki("Other");

            ValidatedCertificate valid = valid(upload(SITE, other.intermediate.certificate(), PKI.intermediate.certificate()));

            assertThat(valid.chainPem()).isEqualTo(TestPki.pem(SITE.certificate(), PKI.intermediate.certificate()));
            assertThat(valid.warnings()).containsExactly(
                    "Left out certificates that are not part of this certificate's chain: [CN=Other Intermediate CA].");
        }

        @Test
        void validateReturnsTheCertificateAndRecordsNothing() {
            Validation validation = new Validation();

            assertThat(validator.validate(validation, upload(SITE, PKI.intermediate.certificate()))).isNotNull();
            assertThat(validation.hasErrors()).isFalse();
        }

        @Test
        void noKeyMaterialInToString() {
            ValidatedCertificate valid = valid(upload(SITE, PKI.intermediate.certificate()));
            String key = TestPki.pkcs8(SITE.keys().getPrivate()).lines().skip(1).findFirst().orElseThrow();

            assertThat(valid.toString()).doesNotContain(key).contains("hidden");
            assertThat(upload(SITE, PKI.intermediate.certificate()).toString()).doesNotContain(key);
        }
    }

    @Nested
    class CertificateField {

        @Test
        void missing() {
            assertThat(errors(new CertificateUpload("  ", null, TestPki.pkcs8(SITE.keys().getPrivate()), SITE_NAMES)))
                    .containsExactly(Map.entry(CERTIFICATE,
                            "Paste the certificate (PEM text starting with -----BEGIN CERTIFICATE-----)."));
        }

        @Test
        void notPem() {
            assertThat(errors(withCertificate("hello"))).containsExactly(Map.entry(CERTIFICATE,
                    "No certificate found; paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."));
        }

        @Test
        void damagedPem() {
            assertThat(errors(withCertificate("-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n")))
                    .containsOnlyKeys(CERTIFICATE).extractingByKey(CERTIFICATE).asString()
                    .startsWith("The certificate PEM is damaged");
        }

        @Test
        void aKeyInTheCertificateField() {
            assertThat(errors(withCertificate(TestPki.pkcs8(SITE.keys().getPrivate()))))
                    .containsExactly(Map.entry(CERTIFICATE,
                            "This is a private key; paste it in the private key field, and the certificate here."));
        }

        @Test
        void tooLarge() {
            String padded = TestPki.pem(SITE.certificate()) + "#".repeat(64 * 1024);

            assertThat(errors(withCertificate(padded))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate is larger than 64 KB; paste only the PEM text."));
        }

        @Test
        void expiredSaysWhen() {
            TestPki.Issued expired = PKI.leaf(TestPki.ec(), NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(1)),
                    "example.com", "www.example.com");

            assertThat(errors(upload(expired, PKI.intermediate.certificate()))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate expired on 2026-05-31 12:00 UTC; upload its renewal."));
        }

        @Test
        void notYetValidSaysFromWhenToWhen() {
            TestPki.Issued future = PKI.leaf(TestPki.ec(), NOW.plus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(92)),
                    "example.com", "www.example.com");

            assertThat(errors(upload(future, PKI.intermediate.certificate()))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate is not valid yet: it is valid from 2026-06-03 12:00 UTC to 2026-09-01 12:00 UTC."));
        }

        @Test
        void selfSigned() {
            TestPki.Issued self = TestPki.selfSigned("example.com", "www.example.com");

            assertThat(errors(upload(self))).containsExactly(Map.entry(CERTIFICATE, "This certificate is self-signed, and a "
                    + "self-signed certificate is not trusted by browsers; upload one issued by a certificate authority."));
        }

        @Test
        void namesNotCoveredAreListed() {
            CertificateUpload upload = new CertificateUpload(TestPki.pem(SITE.certificate()),
                    TestPki.pem(PKI.intermediate.certificate()), TestPki.pkcs8(SITE.keys().getPrivate()),
                    List.of("example.com", "shop.example.com", "www.example.com", "blog.example.com"));

            assertThat(errors(upload)).containsExactly(Map.entry(CERTIFICATE, "The certificate does not cover shop.example.com, "
                    + "blog.example.com; it covers example.com, www.example.com."));
        }

        @Test
        void aWildcardCoversNeitherTheParentNorTwoLabelsBelow() {
            TestPki.Issued wildcard = PKI.leaf("*.example.com");
            CertificateUpload upload = new CertificateUpload(TestPki.pem(wildcard.certificate()),
                    TestPki.pem(PKI.intermediate.certificate()), TestPki.pkcs8(wildcard.keys().getPrivate()),
                    List.of("a.example.com", "example.com", "a.b.example.com"));

            assertThat(errors(upload)).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate does not cover example.com, a.b.example.com; it covers *.example.com."));
        }

        @Test
        void noDnsNames() {
            TestPki.Issued nameless = PKI.leaf();

            assertThat(errors(upload(nameless, PKI.intermediate.certificate()))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate names no DNS host (it has no subject alternative names), so browsers accept it for no site."));
        }

        @Test
        void rsa1024IsTooWeak() {
            TestPki.Issued weak = PKI.leaf(TestPki.rsa(1024), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                    "example.com", "www.example.com");

            assertThat(errors(upload(weak, PKI.intermediate.certificate()))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate is not strong enough. Its RSA key has 1024 bits; at least 2048 are required."));
        }

        @Test
        void p521IsNotAccepted() {
            TestPki.Issued p521 = PKI.leaf(TestPki.ec("secp521r1"), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                    "example.com", "www.example.com");

            assertThat(errors(upload(p521, PKI.intermediate.certificate()))).containsExactly(Map.entry(CERTIFICATE,
                    "The certificate is not strong enough. Its EC key uses a 521-bit curve that is not accepted; use P-256 or P-384."));
        }

        @Test
        void everyProblemOfTheFieldIsReportedAtOnce() {
            TestPki.Issued bad = PKI.leaf(TestPki.rsa(1024), NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(1)),
                    "other.example");

            assertThat(errors(upload(bad, PKI.intermediate.certificate()))).extractingByKey(CERTIFICATE).asString()
                    .contains("expired on", "does not cover example.com, www.example.com", "1024 bits");
        }
    }

    @Nested
    class ChainField {

        @Test
        void aMissingIntermediateNamesTheMissingIssuer() {
            assertThat(errors(upload(SITE))).containsExactly(Map.entry(CHAIN, "The chain is incomplete: the certificate of the "
                    + "issuer [CN=Test Intermediate CA] is missing; add the intermediate certificates your certificate authority "
                    + "supplied."));
        }

        @Test
        void aChainToAnUntrustedRootIsRefused() {
            TestPki other = new TestPki("Other");
            TestPki.Issued leaf = other.leaf("example.com", "www.example.com");

            assertThat(errors(upload(leaf, other.intermediate.certificate(), other.root.certificate())))
                    .containsExactly(Map.entry(CHAIN, "The chain ends at the root [CN=Other Root CA], which browsers do not "
                            + "trust; the certificate must be issued by a public certificate authority."));
        }

        @Test
        void anIntermediateFromAnotherRootNamesTheMissingIssuer() {
            TestPki other = new TestPki("Other");
            TestPki.Issued leaf = other.leaf("example.com", "www.example.com");

            assertThat(errors(upload(leaf, other.intermediate.certificate()))).extractingByKey(CHAIN).asString()
                    .contains("the issuer [CN=Other Root CA] is missing");
        }

        @Test
        void anExpiredIntermediateFailsPathValidation() {
            TestPki.Issued old = TestPki.issue(PKI.root, "CN=Old Intermediate", TestPki.ec(), true,
                    NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(5)));
            TestPki.Issued leaf = TestPki.issue(old, "CN=example.com", TestPki.ec(), false, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(90)), "example.com", "www.example.com");

            assertThat(errors(upload(leaf, old.certificate()))).extractingByKey(CHAIN).asString()
                    .startsWith("The chain does not validate at [CN=Old Intermediate]: ");
        }

        @Test
        void anIntermediateThatIsNotACaFailsPathValidation() {
            TestPki.Issued notCa = TestPki.issue(PKI.intermediate, "CN=Not A CA", TestPki.ec(), false,
                    NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(400)));
            TestPki.Issued leaf = TestPki.issue(notCa, "CN=example.com", TestPki.ec(), false, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(90)), "example.com", "www.example.com");

            assertThat(errors(upload(leaf, notCa.certificate(), PKI.intermediate.certificate()))).extractingByKey(CHAIN)
                    .asString().startsWith("The chain does not validate");
        }

        @Test
        void moreThanTenCertificates() {
            X509Certificate[] eleven = new X509Certificate[11];
            Arrays.fill(eleven, PKI.intermediate.certificate());

            assertThat(errors(upload(SITE, eleven))).containsExactly(Map.entry(CHAIN,
                    "The chain holds 11 certificates; at most 10 are accepted."));
        }

        @Test
        void notPem() {
            CertificateUpload upload = new CertificateUpload(TestPki.pem(SITE.certificate()), "intermediate please",
                    TestPki.pkcs8(SITE.keys().getPrivate()), SITE_NAMES);

            assertThat(errors(upload)).containsOnlyKeys(CHAIN).extractingByKey(CHAIN).asString()
                    .startsWith("No certificate found");
        }

        @Test
        void tooLarge() {
            CertificateUpload upload = new CertificateUpload(TestPki.pem(SITE.certificate()),
                    TestPki.pem(PKI.intermediate.certificate()) + " ".repeat(64 * 1024), TestPki.pkcs8(SITE.keys().getPrivate()),
                    SITE_NAMES);

            assertThat(errors(upload)).containsExactly(Map.entry(CHAIN, "The chain is larger than 64 KB; paste only the PEM text."));
        }
    }

    @Nested
    class PrivateKeyField {

        @Test
        void missing() {
            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), null))).containsExactly(Map.entry(PRIVATE_KEY,
                    "Paste the private key (PEM text starting with -----BEGIN PRIVATE KEY-----)."));
        }

        @Test
        void anotherKeyDoesNotMatch() {
            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), TestPki.pkcs8(TestPki.ec().getPrivate()))))
                    .containsExactly(Map.entry(PRIVATE_KEY, "The private key does not belong to this certificate; paste the key "
                            + "that was created with the certificate's signing request (CSR)."));
        }

        @Test
        void anRsaKeyForAnEcCertificateDoesNotMatch() {
            KeyPair rsa = TestPki.rsa(2048);

            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), TestPki.traditional(rsa.getPrivate()))))
                    .containsOnlyKeys(PRIVATE_KEY);
        }

        @Test
        void anotherRsaKeyDoesNotMatch() {
            TestPki.Issued rsa = PKI.leaf(TestPki.rsa(2048), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)),
                    "example.com", "www.example.com");

            assertThat(errors(withKey(upload(rsa, PKI.intermediate.certificate()), TestPki.traditional(TestPki.rsa(2048).getPrivate()))))
                    .containsOnlyKeys(PRIVATE_KEY);
        }

        @Test
        void anEncryptedPkcs8KeyAsksToRemoveThePassphrase() {
            String encrypted = TestPki.encryptedPkcs8(SITE.keys().getPrivate());
            assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), encrypted))).containsExactly(
                    Map.entry(PRIVATE_KEY, "The private key is protected by a passphrase; remove the passphrase (for example "
                            + "with openssl pkey -in encrypted.key -out plain.key) and paste the key without it."));
        }

        @Test
        void anEncryptedTraditionalKeyAsksToRemoveThePassphrase() {
            String encrypted = TestPki.encryptedTraditional(SITE.keys().getPrivate());
            assertThat(encrypted).contains("Proc-Type: 4,ENCRYPTED");

            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), encrypted))).extractingByKey(PRIVATE_KEY)
                    .asString().startsWith("The private key is protected by a passphrase");
        }

        @Test
        void aCertificateInTheKeyField() {
            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), TestPki.pem(SITE.certificate()))))
                    .containsExactly(Map.entry(PRIVATE_KEY,
                            "This is a certificate; paste it in the certificate field, and the private key here."));
        }

        @Test
        void twoKeys() {
            String two = TestPki.pkcs8(SITE.keys().getPrivate()) + TestPki.pkcs8(TestPki.ec().getPrivate());

            assertThat(errors(withKey(upload(SITE, PKI.intermediate.certificate()), two)))
                    .containsExactly(Map.entry(PRIVATE_KEY, "Paste exactly one private key; this text holds 2."));
        }

        @Test
        void damagedKeyIsNotEchoed() {
            String damaged = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";

            Map<String, String> errors = errors(withKey(upload(SITE, PKI.intermediate.certificate()), damaged));

            assertThat(errors).containsOnlyKeys(PRIVATE_KEY);
            assertThat(errors.get(PRIVATE_KEY)).doesNotContain("MIGHAgEAMBMG");
        }
    }

    @Test
    void validateReportsFieldErrorsThroughValidation() {
        Validation validation = new Validation();

        assertThat(validator.validate(validation, upload(SITE))).isNull();

        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class,
                invalid -> assertThat(invalid.fieldErrors()).containsOnlyKeys(CHAIN));
    }

    @Test
    void errorsInSeveralFieldsAreReportedTogether() {
        CertificateUpload upload = new CertificateUpload("junk", "junk", "junk", SITE_NAMES);

        assertThat(errors(upload)).containsOnlyKeys(CERTIFICATE, CHAIN, PRIVATE_KEY);
    }

    @Test
    void anInvalidSiteHostNameIsAProgrammingError() {
        assertThatThrownBy(() -> validator.check(new CertificateUpload(TestPki.pem(SITE.certificate()), null, "",
                List.of("not a host")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[not a host]");
    }

    @Test
    void theJdkTrustStoreDoesNotTrustTheTestRoot() {
        CustomCertificateValidator withJdkRoots = new CustomCertificateValidator(TrustAnchors.jdkDefault(),
                Clock.fixed(NOW, ZoneOffset.UTC));

        CustomCertificateCheck check = withJdkRoots.check(upload(SITE, PKI.intermediate.certificate(), PKI.root.certificate()));

        assertThat(check).isInstanceOfSatisfying(CustomCertificateCheck.Invalid.class, invalid -> assertThat(invalid.fieldErrors())
                .containsExactly(Map.entry(CHAIN, "The chain ends at the root [CN=Test Root CA], which browsers do not trust; "
                        + "the certificate must be issued by a public certificate authority.")));
    }

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com, true",
            "Example.COM, example.com., true",
            "*.example.com, a.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, a.b.example.com, false",
            "*.example.com, .example.com, false",
            "*.com, example.com, false",
            "w*.example.com, www.example.com, false",
            "a.*.example.com, a.b.example.com, false",
            "www.example.com, example.com, false",
    })
    void wildcardRulesFollowRfc6125(String certificateName, String hostName, boolean covers) {
        assertThat(CertificateNames.covers(certificateName, hostName)).isEqualTo(covers);
    }

    private ValidatedCertificate valid(CertificateUpload upload) {
        CustomCertificateCheck check = validator.check(upload);
        assertThat(check).isInstanceOf(CustomCertificateCheck.Valid.class);
        return ((CustomCertificateCheck.Valid) check).certificate();
    }

    private Map<String, String> errors(CertificateUpload upload) {
        CustomCertificateCheck check = validator.check(upload);
        assertThat(check).isInstanceOf(CustomCertificateCheck.Invalid.class);
        return ((CustomCertificateCheck.Invalid) check).fieldErrors();
    }

    private static CertificateUpload upload(TestPki.Issued leaf, X509Certificate... chain) {
        return new CertificateUpload(TestPki.pem(leaf.certificate()), chain.length == 0 ? null : TestPki.pem(chain),
                TestPki.pkcs8(leaf.keys().getPrivate()), SITE_NAMES);
    }

    private static CertificateUpload withCertificate(String pem) {
        return new CertificateUpload(pem, TestPki.pem(PKI.intermediate.certificate()), TestPki.pkcs8(SITE.keys().getPrivate()),
                SITE_NAMES);
    }

    private static CertificateUpload withKey(CertificateUpload upload, @Nullable String keyPem) {
        return new CertificateUpload(upload.certificatePem(), upload.chainPem(), keyPem, upload.hostNames());
    }

    /**
     * PKCS#8 may or may not carry an EC key's curve inside the key structure, depending on the security provider that
     * wrote it (BouncyCastle, once registered, writes it); the key is the same either way.
     */
    private static void assertSameKey(String pkcs8Pem, java.security.PrivateKey expected) {
        byte[] der = java.util.Base64.getMimeDecoder().decode(pkcs8Pem.replaceAll("-----[A-Z ]+-----", ""));
        try {
            java.security.PrivateKey read = java.security.KeyFactory.getInstance(expected.getAlgorithm())
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            if (expected instanceof java.security.interfaces.ECPrivateKey ec) {
                assertThat(((java.security.interfaces.ECPrivateKey) read).getS()).isEqualTo(ec.getS());
            } else {
                java.security.interfaces.RSAPrivateKey rsa = (java.security.interfaces.RSAPrivateKey) expected;
                assertThat(((java.security.interfaces.RSAPrivateKey) read).getModulus()).isEqualTo(rsa.getModulus());
                assertThat(((java.security.interfaces.RSAPrivateKey) read).getPrivateExponent()).isEqualTo(rsa.getPrivateExponent());
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("the normalised key cannot be read: " + e.getMessage(), e);
        }
    }
}
