package io.vippanel.ssl.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.support.PebbleServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The platform's ACME account against a real Pebble: terms of service, finding the account again, TLS trust. */
class AcmeAccountsTests {

    private static PebbleServer pebble;
    private static AcmeDirectory directory;

    @BeforeAll
    static void startPebble() throws Exception {
        PebbleServer.assumeUsable();
        // No name is validated here: DNS and HTTP-01 ports only need to be ports nobody answers on.
        int unused = unusedPort();
        pebble = PebbleServer.start(unused, unused);
        directory = AcmeDirectory.connect(pebble.directoryUrl(), AcmeTrust.rootCertificates(pebble.tlsTrustFile()));
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void anAccountIsCreatedOnlyOnceTheAdminAcceptedTheTermsOfService() {
        String key = AcmeAccounts.newAccountKeyPem();
        assertThat(directory.termsOfService()).as("Pebble's directory names terms of service").isPresent();

        assertThatThrownBy(() -> AcmeAccounts.findOrCreate(directory, key, TermsOfService.NOT_ACCEPTED, List.of()))
                .isInstanceOfSatisfying(AcmeFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(AcmeFailure.Reason.TERMS_NOT_ACCEPTED);
                    assertThat(failure.detail()).contains(directory.termsOfService().orElseThrow().toString());
                });
        assertThat(AcmeAccounts.find(directory, key)).as("nothing was created at the CA").isEmpty();

        AcmeAccount created = AcmeAccounts.findOrCreate(directory, key, TermsOfService.ACCEPTED_BY_ADMIN,
                List.of("admin@example.test"));

        assertThat(created.location().toString()).startsWith("https://127.0.0.1:");
        assertThat(AcmeAccounts.find(directory, key)).get()
                .extracting(AcmeAccount::location).isEqualTo(created.location());
        assertThat(AcmeAccounts.findOrCreate(directory, key, TermsOfService.NOT_ACCEPTED, List.of()).location())
                .as("an existing account needs no new agreement").isEqualTo(created.location());
    }

    @Test
    void theContactsTheCaHoldsFollowTheAdminsChange() {
        String key = AcmeAccounts.newAccountKeyPem();
        AcmeAccount account = AcmeAccounts.findOrCreate(directory, key, TermsOfService.ACCEPTED_BY_ADMIN, List.of("first@example.com"));
        assertThat(AcmeAccounts.contacts(account)).containsExactly("mailto:first@example.com");

        AcmeAccounts.updateContacts(account, List.of("second@example.com"));
        AcmeAccount again = AcmeAccounts.find(directory, key).orElseThrow();
        assertThat(AcmeAccounts.contacts(again)).containsExactly("mailto:second@example.com");
    }

    @Test
    void differentKeysAreDifferentAccounts() {
        AcmeAccount first = AcmeAccounts.findOrCreate(directory, AcmeAccounts.newAccountKeyPem(),
                TermsOfService.ACCEPTED_BY_ADMIN, List.of());
        AcmeAccount second = AcmeAccounts.findOrCreate(directory, AcmeAccounts.newAccountKeyPem(),
                TermsOfService.ACCEPTED_BY_ADMIN, List.of());

        assertThat(first.location()).isNotEqualTo(second.location());
    }

    @Test
    void anAccountKeyIsAnEcP256PemThatIsNeverEchoedWhenBroken() {
        String key = AcmeAccounts.newAccountKeyPem();

        assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThatThrownBy(() -> AcmeAccounts.find(directory, "not a key but a secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void theCaIsReachedOnlyWhenItsTlsCertificateIsTrusted() {
        assertThatThrownBy(() -> AcmeDirectory.connect(pebble.directoryUrl(), AcmeTrust.jdkDefault()))
                .isInstanceOfSatisfying(AcmeFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(AcmeFailure.Reason.UNREACHABLE));
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
