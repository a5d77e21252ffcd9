package io.vippanel.ssl.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.ProviderZone;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.dns.internal.provider.RecordSetChange;
import io.vippanel.dns.internal.provider.powerdns.PowerDnsProvider;
import io.vippanel.platform.VipProperties;
import io.vippanel.support.PebbleServer;
import io.vippanel.support.PowerDnsServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Certificate orders against a real Pebble that resolves names through a real PowerDNS: HTTP-01 answered by a web
 * server on loopback, DNS-01 answered with TXT records written through the panel's PowerDNS client.
 */
class AcmeIssuerTests {

    private static final String ZONE = "example.test";
    private static final List<String> HOSTS = List.of(ZONE, "www." + ZONE, "fail." + ZONE, "rsa." + ZONE);
    private static final AcmePolling FAST = new AcmePolling(Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(60));

    private static PowerDnsServer dns;
    private static PowerDnsProvider powerDns;
    private static ProviderZone zone;
    private static HttpServer web;
    private static final Map<String, String> servedTokens = new ConcurrentHashMap<>();
    private static PebbleServer pebble;
    private static AcmeAccount account;
    private static X509Certificate pebbleRoot;

    private final AcmeIssuer issuer = new AcmeIssuer(FAST);

    @BeforeAll
    static void startServers() throws Exception {
        PowerDnsServer.assumeUsable();
        PebbleServer.assumeUsable();
        dns = PowerDnsServer.start();
        powerDns = new PowerDnsProvider(dns.credentials(), new VipProperties.Dns("https://api.cloudflare.com/client/v4",
                null, Duration.ofSeconds(5), 2, Duration.ofMillis(20), Duration.ofMillis(100), List.of(),
                Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1)));
        zone = powerDns.createZone(ZONE);
        powerDns.apply(zone, HOSTS.stream()
                .<RecordSetChange>map(host -> new RecordSetChange.Replace(new RecordSet(host, RecordType.A, 60,
                        List.of("127.0.0.1"))))
                .toList());

        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext(AcmeChallenge.Http01.PATH_PREFIX, exchange -> {
            String token = exchange.getRequestURI().getPath().substring(AcmeChallenge.Http01.PATH_PREFIX.length());
            String content = servedTokens.get(token);
            byte[] body = (content == null ? "no such token" : content).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(content == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();

        pebble = PebbleServer.start(dns.dnsPort(), web.getAddress().getPort());
        AcmeDirectory directory = AcmeDirectory.connect(pebble.directoryUrl(),
                AcmeTrust.rootCertificates(pebble.tlsTrustFile()));
        account = AcmeAccounts.findOrCreate(directory, AcmeAccounts.newAccountKeyPem(),
                TermsOfService.ACCEPTED_BY_ADMIN, List.of());
        pebbleRoot = certificates(pebble.rootCertificatePem()).getFirst();
    }

    @AfterAll
    static void stopServers() {
        if (web != null) {
            web.stop(0);
        }
        if (pebble != null) {
            pebble.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void http01IssuesACertificateThatVerifiesAgainstTheCaAndMatchesItsKey() throws Exception {
        HttpResponder responder = new HttpResponder(false);
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        IssuanceListener listener = new IssuanceListener() {
            @Override
            public void finished(IssuanceStep step, Duration took) {
                steps.add(step.name());
            }
        };

        IssuedCertificate issued = issuer.issue(account, CertificateRequest.of(List.of("www." + ZONE, ZONE)),
                responder, listener);

        assertThat(steps).containsExactly("ORDER", "CHALLENGE", "FINALIZE", "DOWNLOAD");
        assertThat(responder.presented).extracting(AcmeChallenge::name)
                .containsExactlyInAnyOrder("www." + ZONE, ZONE);
        assertThat(responder.presented).allMatch(AcmeChallenge.Http01.class::isInstance);
        assertThat(servedTokens).as("the answers were cleaned up").isEmpty();
        assertThat(issued.names()).containsExactlyInAnyOrder("www." + ZONE, ZONE);
        List<X509Certificate> chain = verifiedChain(issued);
        X509Certificate leaf = chain.getFirst();
        assertThat(leaf.getSerialNumber().toString(16)).isEqualTo(issued.serial());
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(issued.notAfter());
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(issued.notBefore());
        KeyPair key = KeyPairUtils.readKeyPair(new StringReader(issued.privateKeyPem()));
        assertThat(key.getPublic()).isInstanceOf(ECPublicKey.class).isEqualTo(leaf.getPublicKey());
        assertThat(issued.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void anRsaKeyIsMadeWhenAsked() throws Exception {
        IssuedCertificate issued = issuer.issue(account, CertificateRequest.of(List.of("rsa." + ZONE))
                .withKeyType(CertificateKeyType.RSA_2048), new HttpResponder(false), IssuanceListener.NONE);

        X509Certificate leaf = verifiedChain(issued).getFirst();
        assertThat(leaf.getPublicKey()).isInstanceOfSatisfying(RSAPublicKey.class,
                key -> assertThat(key.getModulus().bitLength()).isEqualTo(2048));
        assertThat(KeyPairUtils.readKeyPair(new StringReader(issued.privateKeyPem())).getPublic())
                .isEqualTo(leaf.getPublicKey());
    }

    @Test
    void dns01IssuesAWildcardWithBothTxtValuesAtOneNameAndRemovesThemAfter() throws Exception {
        DnsResponder responder = new DnsResponder();

        IssuedCertificate issued = issuer.issue(account, CertificateRequest.of(List.of("*." + ZONE, ZONE))
                .withChallenges(ChallengeChoice.DNS_01), responder, IssuanceListener.NONE);

        assertThat(issued.names()).containsExactlyInAnyOrder("*." + ZONE, ZONE);
        verifiedChain(issued);
        assertThat(responder.presented).hasSize(2).allSatisfy(challenge -> assertThat(challenge)
                .isInstanceOfSatisfying(AcmeChallenge.Dns01.class,
                        dns01 -> assertThat(dns01.recordName()).isEqualTo("_acme-challenge." + ZONE)));
        assertThat(responder.presentedValues).as("the wildcard and the base name each need their own value")
                .hasSize(2);
        Message answer = dns.query("_acme-challenge." + ZONE, Type.TXT);
        assertThat(answer.getSection(Section.ANSWER)).as("the TXT records were deleted").isEmpty();
    }

    @Test
    void aWildcardCannotBeProvedOverHttp() {
        assertThatThrownBy(() -> CertificateRequest.of(List.of("*." + ZONE)).withChallenges(ChallengeChoice.HTTP_01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[*.example.test]")
                .hasMessageContaining("DNS-01");
    }

    @Test
    void aFailedChallengeEndsWithTheCasProblemDetailAndIsCleanedUp() {
        HttpResponder responder = new HttpResponder(true);

        assertThatThrownBy(() -> issuer.issue(account, CertificateRequest.of(List.of("fail." + ZONE)), responder,
                IssuanceListener.NONE))
                .isInstanceOfSatisfying(AcmeFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(AcmeFailure.Reason.CHALLENGE_FAILED);
                    assertThat(failure.problemType()).hasValueSatisfying(type -> assertThat(type.toString())
                            .startsWith("urn:ietf:params:acme:error:"));
                    assertThat(failure.detail()).contains(HttpResponder.WRONG_CONTENT);
                    assertThat(failure.userMessage()).startsWith("The CA could not validate the domain: ");
                });
        assertThat(responder.cleanedUp).containsExactlyElementsOf(responder.presented);
        assertThat(servedTokens).isEmpty();
    }

    @Test
    void orderingAgainRenewsWithANewSerialAndTheRenewalWindowIsTheCasWhenItOffersOne() throws Exception {
        CertificateRequest request = CertificateRequest.of(List.of("www." + ZONE));
        IssuedCertificate first = issuer.issue(account, request, new HttpResponder(false), IssuanceListener.NONE);

        IssuedCertificate renewed = issuer.issue(account, request.replacing(first.chainPem()), new HttpResponder(false),
                IssuanceListener.NONE);

        assertThat(renewed.serial()).isNotEqualTo(first.serial());
        assertThat(renewed.names()).isEqualTo(first.names());
        verifiedChain(renewed);
        if (account.directory().offersRenewalInfo()) {
            assertThat(issuer.renewalWindow(account, first.chainPem())).hasValueSatisfying(window -> {
                assertThat(window.start()).isBefore(window.end());
                assertThat(window.end()).isBeforeOrEqualTo(first.notAfter());
            });
        } else {
            // Debian's Pebble 2.4 predates ACME Renewal Information.
            assertThat(issuer.renewalWindow(account, first.chainPem())).isEmpty();
        }
    }

    /** The chain's certificates after checking that they lead to Pebble's root. */
    private static List<X509Certificate> verifiedChain(IssuedCertificate issued) throws Exception {
        List<X509Certificate> chain = certificates(issued.chainPem());
        List<X509Certificate> path = chain.stream().filter(cert -> !cert.equals(pebbleRoot)).toList();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pebbleRoot, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
        return chain;
    }

    private static List<X509Certificate> certificates(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    /** Serves HTTP-01 answers from the test's web server; the broken one serves the wrong content. */
    private static final class HttpResponder implements ChallengeResponder {

        static final String WRONG_CONTENT = "not-the-key-authorization";

        private final boolean broken;
        final List<AcmeChallenge> presented = new ArrayList<>();
        final List<AcmeChallenge> cleanedUp = new ArrayList<>();

        HttpResponder(boolean broken) {
            this.broken = broken;
        }

        @Override
        public void present(List<AcmeChallenge> challenges) {
            for (AcmeChallenge challenge : challenges) {
                AcmeChallenge.Http01 http = (AcmeChallenge.Http01) challenge;
                servedTokens.put(http.token(), broken ? WRONG_CONTENT : http.content());
                presented.add(challenge);
            }
        }

        @Override
        public void cleanUp(List<AcmeChallenge> challenges) {
            for (AcmeChallenge challenge : challenges) {
                servedTokens.remove(((AcmeChallenge.Http01) challenge).token());
                cleanedUp.add(challenge);
            }
        }
    }

    /** Writes DNS-01 answers as TXT record sets through the panel's PowerDNS client, one batch per call. */
    private static final class DnsResponder implements ChallengeResponder {

        final List<AcmeChallenge> presented = new ArrayList<>();
        final List<String> presentedValues = new ArrayList<>();

        @Override
        public void present(List<AcmeChallenge> challenges) {
            presented.addAll(challenges);
            Map<String, List<String>> valuesByName = challenges.stream()
                    .map(AcmeChallenge.Dns01.class::cast)
                    .collect(Collectors.groupingBy(AcmeChallenge.Dns01::recordName,
                            Collectors.mapping(dns01 -> "\"" + dns01.txtValue() + "\"", Collectors.toList())));
            valuesByName.values().forEach(presentedValues::addAll);
            powerDns.apply(zone, valuesByName.entrySet().stream()
                    .<RecordSetChange>map(entry -> new RecordSetChange.Replace(new RecordSet(entry.getKey(),
                            RecordType.TXT, 60, entry.getValue())))
                    .toList());
        }

        @Override
        public void cleanUp(List<AcmeChallenge> challenges) {
            powerDns.apply(zone, challenges.stream()
                    .map(AcmeChallenge.Dns01.class::cast)
                    .map(AcmeChallenge.Dns01::recordName)
                    .distinct()
                    .<RecordSetChange>map(name -> new RecordSetChange.Delete(name, RecordType.TXT))
                    .toList());
        }
    }
}
