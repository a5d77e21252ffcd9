package io.vippanel.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.platform.Validation;
import io.vippanel.servers.internal.ServerInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values people type about servers: names, addresses, ports, users, firewall ports and sources. */
class ServerInputTests {

    @ParameterizedTest
    @ValueSource(strings = {"web-1", "a", "db01", "x123456789012345678901234567890123456789012345678901234567890123"})
    void hostNameLabelsAreNames(String name) {
        Validation validation = new Validation();
        ServerInput.name(validation, "name", name.length() > 63 ? name.substring(0, 63) : name);
        assertThat(validation.hasErrors()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", "web-", "web_1", "web.example.com", "wéb", "web 1", "web;rm"})
    void otherNamesAreRefused(String name) {
        Validation validation = new Validation();
        ServerInput.name(validation, "name", name);
        assertThat(validation.hasErrors()).isTrue();
    }

    @Test
    void namesAreLowerCased() {
        assertThat(ServerInput.name(new Validation(), "name", " Web-1 ")).isEqualTo("web-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.10", "10.77.0.2", "2001:db8::10", "2a01:4f8:1c1c:abcd::1"})
    void addressLiteralsAreAccepted(String address) {
        Validation validation = new Validation();
        assertThat(ServerInput.address(validation, "address", address)).isNotNull();
        assertThat(validation.hasErrors()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "999.1.1.1", "1.2.3", "example.com", "localhost", "127.0.0.1", "::1", "0.0.0.0", "224.0.0.1",
            "169.254.1.1", "fe80::1", "1.2.3.4; reboot", "01.2.3.4", "::ffff:127.0.0.1"})
    void hostNamesAndUnusableAddressesAreRefused(String address) {
        Validation validation = new Validation();
        ServerInput.address(validation, "address", address);
        assertThat(validation.hasErrors()).as(address).isTrue();
    }

    @Test
    void portsAreWholeNumbersInRange() {
        assertThat(ServerInput.port(new Validation(), "p", "", 22)).isEqualTo(22);
        assertThat(ServerInput.port(new Validation(), "p", "2222", 22)).isEqualTo(2222);
        for (String bad : new String[] {"0", "65536", "70000", "-1", "22; rm -rf /", "2e3", "00000022222"}) {
            Validation validation = new Validation();
            ServerInput.port(validation, "p", bad, 22);
            assertThat(validation.hasErrors()).as(bad).isTrue();
        }
    }

    @Test
    void firewallPortsAndSourcesAreNormalised() {
        assertThat(ServerInput.portRange(new Validation(), "port", "8000-8100")).isEqualTo("8000:8100");
        assertThat(ServerInput.portRange(new Validation(), "port", "8080:8080")).isEqualTo("8080");
        assertThat(ServerInput.source(new Validation(), "source", "")).isEqualTo("any");
        assertThat(ServerInput.source(new Validation(), "source", "10.0.0.0/8")).isEqualTo("10.0.0.0/8");
        assertThat(ServerInput.source(new Validation(), "source", "2001:db8::/32")).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        for (String bad : new String[] {"0", "9000:8000", "65536", "80,443", "x"}) {
            Validation validation = new Validation();
            ServerInput.portRange(validation, "port", bad);
            assertThat(validation.hasErrors()).as(bad).isTrue();
        }
        for (String bad : new String[] {"10.0.0.0/33", "example.com", "10.0.0.0/8/8", "any; ufw disable", "2001:db8::/129"}) {
            Validation validation = new Validation();
            ServerInput.source(validation, "source", bad);
            assertThat(validation.hasErrors()).as(bad).isTrue();
        }
    }
}
