package io.vippanel.dns.internal.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Records as people type them, and the rules between the record sets of one zone. */
class DnsRecordRulesTests {

    private static final String ZONE = "example.com";

    private static ZoneRecord valid(String name, String type, String ttl, String content) {
        RecordCheck check = RecordInput.check(ZONE, name, type, ttl, content);
        assertThat(check).as("%s %s %s", name, type, content).isInstanceOf(RecordCheck.Valid.class);
        return ((RecordCheck.Valid) check).record();
    }

    private static String content(String type, String content) {
        return valid("host", type, "", content).content();
    }

    private static Map<String, String> errors(String name, String type, String ttl, String content) {
        RecordCheck check = RecordInput.check(ZONE, name, type, ttl, content);
        assertThat(check).as("%s %s %s", name, type, content).isInstanceOf(RecordCheck.Invalid.class);
        return ((RecordCheck.Invalid) check).fieldErrors();
    }

    private static String contentError(String type, String content) {
        Map<String, String> errors = errors("host", type, "", content);
        assertThat(errors).containsOnlyKeys(RecordInput.CONTENT);
        return errors.get(RecordInput.CONTENT);
    }

    private static String nameError(String name, String type, String content) {
        Map<String, String> errors = errors(name, type, "", content);
        assertThat(errors).containsOnlyKeys(RecordInput.NAME);
        return errors.get(RecordInput.NAME);
    }

    @Nested
    class Names {

        @ParameterizedTest
        @CsvSource({
                "@, example.com", "'', example.com", "www, www.example.com", "WWW, www.example.com",
                "www.example.com, www.example.com", "www.example.com., www.example.com", "example.com, example.com",
                "example.com., example.com", "a.b.c, a.b.c.example.com", "_dmarc, _dmarc.example.com",
                "_acme-challenge.www, _acme-challenge.www.example.com", "s1._domainkey, s1._domainkey.example.com",
                "*, *.example.com", "*.dev, *.dev.example.com", "bücher, xn--bcher-kva.example.com",
                "www.other.org, www.other.org.example.com"})
        void namesBecomeAbsoluteLowerCaseWithoutTheTrailingDot(String typed, String expected) {
            assertThat(valid(typed, "A", "300", "192.0.2.1").name()).isEqualTo(expected);
        }

        @Test
        void anInternationalZoneTakesNamesInEitherForm() {
            RecordCheck unicode = RecordInput.check("xn--bcher-kva.example", "www.bücher.example", "A", "", "192.0.2.1");
            assertThat(unicode).isEqualTo(new RecordCheck.Valid(
                    new ZoneRecord("www.xn--bcher-kva.example", RecordType.A, 3600, "192.0.2.1")));
        }

        @Test
        void anAbsoluteNameOutsideTheZoneIsRefused() {
            assertThat(nameError("www.example.org.", "A", "192.0.2.1"))
                    .isEqualTo("[www.example.org.] is outside the zone example.com; use a name ending in example.com or one "
                            + "relative to it, such as www or @ for the zone itself.");
            assertThat(nameError("notexample.com.", "A", "192.0.2.1")).contains("outside the zone example.com");
        }

        @Test
        void aWildcardIsOnlyAWholeLeftmostLabel() {
            assertThat(nameError("www.*", "A", "192.0.2.1")).isEqualTo("A wildcard * may only be the leftmost label, e.g. * or *.dev.");
            assertThat(nameError("*www", "A", "192.0.2.1")).isEqualTo("A wildcard must be a whole label: * or *.dev, not [*www].");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-www", "www-", "we b", "a..b", ".www", "ww!w", "a/b"})
        void badLabelsAreRefused(String typed) {
            assertThat(nameError(typed, "A", "192.0.2.1")).containsAnyOf("may only hold letters, digits, hyphens and underscores",
                    "empty label");
        }

        @Test
        void labelsAndNamesHaveLengthLimits() {
            assertThat(nameError("a".repeat(64), "A", "192.0.2.1")).isEqualTo("The label [" + "a".repeat(60) + "…] is longer "
                    + "than 63 characters.");
            assertThat(valid("a".repeat(63), "A", "", "192.0.2.1").name()).hasSize(63 + 1 + ZONE.length());
            String long241 = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));
            assertThat(nameError(long241, "A", "192.0.2.1")).startsWith("The full name").endsWith("is longer than 253 characters.");
        }
    }

    @Nested
    class TypesAndTtls {

        @Test
        void anUnknownTypeNamesTheChoices() {
            assertThat(errors("www", "PTR", "", "x")).containsExactly(
                    Map.entry(RecordInput.TYPE, "Choose one of A, AAAA, CNAME, MX, TXT, SRV, CAA, NS."));
        }

        @Test
        void theTypeIsCaseInsensitive() {
            assertThat(valid("www", "aaaa", "", "2001:db8::1").type()).isEqualTo(RecordType.AAAA);
        }

        @ParameterizedTest
        @CsvSource({"60, 60", "604800, 604800", "5m, 300", "1h, 3600", "1H30M, 5400", "1d, 86400", "1w, 604800", "'', 3600"})
        void ttlsTakeSecondsOrUnits(String typed, int seconds) {
            assertThat(valid("www", "A", typed, "192.0.2.1").ttl()).isEqualTo(seconds);
        }

        @ParameterizedTest
        @ValueSource(strings = {"59", "0", "604801", "2w"})
        void ttlsOutsideTheRangeSayTheRange(String typed) {
            assertThat(errors("www", "A", typed, "192.0.2.1")).containsExactly(Map.entry(RecordInput.TTL,
                    "The TTL must be from 60 to 604800 seconds (1 minute to 1 week); [" + typed + "] is not."));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-5", "1x", "one hour", "99999999999"})
        void ttlsThatAreNoNumberSayHowToWriteOne(String typed) {
            assertThat(errors("www", "A", typed, "192.0.2.1")).containsExactly(Map.entry(RecordInput.TTL,
                    "Enter the TTL in seconds (60 to 604800) or with a unit, such as 5m, 1h or 1d."));
        }

        @Test
        void everyBrokenFieldIsReportedAtOnce() {
            assertThat(errors("-bad", "A", "1", "999.1.1.1")).containsOnlyKeys(RecordInput.NAME, RecordInput.TTL, RecordInput.CONTENT);
        }

        @Test
        void emptyContentAndControlCharactersAreRefused() {
            assertThat(contentError("A", "  ")).isEqualTo("Enter the record's content.");
            assertThat(contentError("TXT", "line one\nline two")).startsWith("Control characters such as line breaks");
        }

        @Test
        void aValidationCollectsTheFieldErrorsForTheForm() {
            Validation validation = new Validation();
            assertThat(RecordInput.record(validation, ZONE, "www", "A", "30", "192.0.2.1")).isNull();
            assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class, e ->
                    assertThat(e.fieldErrors()).containsOnlyKeys("ttl"));
            Validation clean = new Validation();
            assertThat(RecordInput.record(clean, ZONE, "www", "A", "300", "192.0.2.1"))
                    .isEqualTo(new ZoneRecord("www.example.com", RecordType.A, 300, "192.0.2.1"));
            assertThat(clean.hasErrors()).isFalse();
        }
    }

    @Nested
    class Addresses {

        @ParameterizedTest
        @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.10"})
        void ipv4LiteralsAreAccepted(String address) {
            assertThat(content("A", address)).isEqualTo(address);
        }

        @ParameterizedTest
        @ValueSource(strings = {"192.0.2.01", "256.1.1.1", "1.2.3", "1.2.3.4.5", "example.com", "0x7f.0.0.1", "1.2.3.4/24"})
        void otherIpv4TextIsRefused(String address) {
            assertThat(contentError("A", address)).startsWith("[" + address + "] is not an IPv4 address; enter four numbers from "
                    + "0 to 255 without leading zeros");
        }

        @Test
        void anIpv6AddressInAnARecordNamesAaaa() {
            assertThat(contentError("A", "2001:db8::1")).isEqualTo("[2001:db8::1] is an IPv6 address; use an AAAA record for it.");
        }

        @ParameterizedTest
        @CsvSource({
                "2001:DB8:0:0:0:0:0:1, 2001:db8::1", "2001:db8::1, 2001:db8::1", "::1, ::1", "::, ::",
                "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
                "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "fe80:0:0:0:1:0:0:0, fe80::1:0:0:0",
                "::ffff:192.0.2.1, ::ffff:192.0.2.1", "64:ff9b::192.0.2.33, 64:ff9b::c000:221"})
        void ipv6IsWrittenInRfc5952Form(String typed, String expected) {
            assertThat(content("AAAA", typed)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2001:db8::1::1", "2001:db8:1:2:3:4:5:6:7", "12345::1", "2001:db8::g", "fe80::1%eth0", ":1"})
        void otherIpv6TextIsRefused(String address) {
            assertThat(contentError("AAAA", address)).contains("is not an IPv6 address; enter one such as 2001:db8::1");
        }

        @Test
        void anIpv4AddressInAnAaaaRecordNamesA() {
            assertThat(contentError("AAAA", "192.0.2.1")).isEqualTo("[192.0.2.1] is an IPv4 address; use an A record for it.");
        }
    }

    @Nested
    class HostTargets {

        @ParameterizedTest
        @CsvSource({"target.example.net, target.example.net.", "Target.Example.NET., target.example.net.",
                "bücher.example, xn--bcher-kva.example.", "u123.wl_1.sendgrid.net, u123.wl_1.sendgrid.net."})
        void cnameTargetsAreFullNamesWithTheTrailingDot(String typed, String expected) {
            assertThat(content("CNAME", typed)).isEqualTo(expected);
        }

        @Test
        void aCnameAtTheApexIsRefusedWithTheAlternatives() {
            assertThat(nameError("@", "CNAME", "target.example.net")).isEqualTo("A CNAME cannot be at the zone apex (it would "
                    + "hide the zone's other records); use an A/AAAA record or your provider's ALIAS.");
        }

        @Test
        void aCnamePointingAtItselfIsRefused() {
            assertThat(errors("www", "CNAME", "", "www.example.com")).containsExactly(
                    Map.entry(RecordInput.CONTENT, "A CNAME cannot point at its own name."));
        }

        @Test
        void hostTargetsAreNoAddressesOrSingleLabels() {
            assertThat(contentError("CNAME", "192.0.2.1")).isEqualTo("The target [192.0.2.1] is an IP address; enter a host name "
                    + "and give that host an A or AAAA record.");
            assertThat(contentError("CNAME", "mail")).isEqualTo("The target [mail] must be a full host name such as host.example.com.");
            assertThat(contentError("CNAME", ".")).isEqualTo("The target must be a host name such as host.example.com, not the root (.).");
            assertThat(contentError("CNAME", "*.example.net")).isEqualTo("The target cannot be a wildcard name.");
        }

        @Test
        void mxTakesPriorityAndHost() {
            assertThat(content("MX", "10 mail.example.com")).isEqualTo("10 mail.example.com.");
            assertThat(content("MX", "0   .")).isEqualTo("0 .");
            assertThat(contentError("MX", "mail.example.com")).startsWith("An MX record is a priority and a mail server, such as 10 "
                    + "mail.example.com");
            assertThat(contentError("MX", "65536 mail.example.com"))
                    .isEqualTo("The priority [65536] must be a whole number from 0 to 65535.");
            assertThat(contentError("MX", "10 192.0.2.1")).startsWith("The mail server [192.0.2.1] is an IP address");
            assertThat(contentError("MX", "10 .")).isEqualTo("A null MX (.), which says the domain receives no mail, must have "
                    + "priority 0: 0 .");
        }

        @Test
        void nsBelowTheApexDelegatesAndAtTheApexIsRefused() {
            assertThat(valid("dev", "NS", "", "ns1.example.net").content()).isEqualTo("ns1.example.net.");
            assertThat(nameError("@", "NS", "ns1.example.net")).startsWith("The NS records at the zone apex belong to the DNS "
                    + "provider and cannot be set here");
        }
    }

    @Nested
    class Txt {

        @Test
        void rawTextIsQuotedWithEscapes() {
            assertThat(content("TXT", "v=spf1 include:_spf.google.com ~all")).isEqualTo("\"v=spf1 include:_spf.google.com ~all\"");
            assertThat(content("TXT", "say \\hi\\ and ;")).isEqualTo("\"say \\\\hi\\\\ and ;\"");
            assertThat(content("TXT", "a \"quoted\" word")).isEqualTo("\"a \\\"quoted\\\" word\"");
        }

        @Test
        void quotedStringsAreKeptAndWrittenCanonically() {
            assertThat(content("TXT", "\"v=DKIM1; k=rsa; \"  \"p=MIIB\"")).isEqualTo("\"v=DKIM1; k=rsa; \" \"p=MIIB\"");
            assertThat(content("TXT", "\"a \\\"b\\\" \\\\ c\"")).isEqualTo("\"a \\\"b\\\" \\\\ c\"");
            assertThat(content("TXT", "\"\\065\\066\\;\"")).isEqualTo("\"AB;\"");
            assertThat(content("TXT", "\"\\007bell\"")).isEqualTo("\"\\007bell\"");
            assertThat(content("TXT", "\"\"")).isEqualTo("\"\"");
        }

        @Test
        void brokenQuotedStringsSayWhatIsWrong() {
            assertThat(contentError("TXT", "\"open")).isEqualTo("A quoted string is not closed; end it with \".");
            assertThat(contentError("TXT", "\"a\" b")).startsWith("Between quoted strings only spaces may stand");
            assertThat(contentError("TXT", "\"\\300\"")).isEqualTo("The escape \\300 is not a byte; \\DDD takes 000 to 255.");
            assertThat(contentError("TXT", "\"" + "x".repeat(256) + "\"")).isEqualTo("One quoted string holds 256 bytes; each may "
                    + "hold at most 255. Leave the quotes out and the panel splits the text for you.");
        }

        @Test
        void longRawTextIsSplitAt255Bytes() {
            String text = "p=" + "A".repeat(600);
            List<byte[]> strings = CharacterStrings.parseQuoted(content("TXT", text));
            assertThat(strings).extracting(bytes -> bytes.length).containsExactly(255, 255, 92);
            assertThat(strings.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).reduce("", String::concat)).isEqualTo(text);
        }

        @Test
        void splittingNeverCutsAMultiByteCharacter() {
            String text = "x" + "é".repeat(200);
            String stored = content("TXT", text);
            List<byte[]> strings = CharacterStrings.parseQuoted(stored);
            assertThat(strings).extracting(bytes -> bytes.length).containsExactly(255, 146);
            assertThat(stored).startsWith("\"x" + "é".repeat(127) + "\" \"é");
            String emoji = "😀".repeat(70);
            assertThat(CharacterStrings.parseQuoted(content("TXT", emoji))).extracting(bytes -> bytes.length).containsExactly(252, 28);
        }

        @Test
        void splittingNeverCutsAnEscape() {
            String text = "a".repeat(254) + "\"b";
            assertThat(content("TXT", text)).isEqualTo("\"" + "a".repeat(254) + "\\\"\" \"b\"");
        }

        @Test
        void theTextIsAtMost4000Bytes() {
            assertThat(content("TXT", "x".repeat(4000))).hasSize(4000 + 16 * 3 - 1);
            assertThat(contentError("TXT", "é".repeat(2001)))
                    .isEqualTo("The text is 4002 bytes; a TXT record here holds at most 4000 bytes of text.");
        }

        @Test
        void invisibleCharactersAreEscapedNotHidden() {
            assertThat(content("TXT", "\"a\\226\\128\\174b\"")).isEqualTo("\"a\\226\\128\\174b\"");
            assertThat(content("TXT", "\"\\195\"")).isEqualTo("\"\\195\"");
        }
    }

    @Nested
    class SrvAndCaa {

        @Test
        void srvTakesPriorityWeightPortTarget() {
            ZoneRecord record = valid("_sip._tcp", "SRV", "", "10 5 5060 sip.example.com");
            assertThat(record.content()).isEqualTo("10 5 5060 sip.example.com.");
            assertThat(valid("_imaps._tcp.mail", "SRV", "", "0 0 0 .").content()).isEqualTo("0 0 0 .");
        }

        @Test
        void srvContentErrorsNameThePart() {
            assertThat(errors("_sip._tcp", "SRV", "", "10 5 sip.example.com")).containsOnlyKeys(RecordInput.CONTENT);
            assertThat(errors("_sip._tcp", "SRV", "", "10 5 70000 sip.example.com").get(RecordInput.CONTENT))
                    .isEqualTo("The port [70000] must be a whole number from 0 to 65535.");
            assertThat(errors("_sip._tcp", "SRV", "", "10 x 5060 sip.example.com").get(RecordInput.CONTENT))
                    .isEqualTo("The weight [x] must be a whole number from 0 to 65535.");
        }

        @ParameterizedTest
        @ValueSource(strings = {"sip", "_sip", "sip.tcp", "@", "_sip.tcp"})
        void srvNeedsAServiceAndProtocolName(String name) {
            assertThat(nameError(name, "SRV", "10 5 5060 sip.example.com")).isEqualTo("An SRV record's name must start with "
                    + "_service._protocol, such as _sip._tcp or _imaps._tcp.mail.");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0 issue \"letsencrypt.org\" | 0 issue \"letsencrypt.org\"",
                "0 ISSUE letsencrypt.org | 0 issue \"letsencrypt.org\"",
                "128 issuewild \";\" | 128 issuewild \";\"",
                "0 issue \"letsencrypt.org;validationmethods=dns-01\" | 0 issue \"letsencrypt.org; validationmethods=dns-01\"",
                "0 issue pki.goog; cansignhttpexchanges=yes | 0 issue \"pki.goog; cansignhttpexchanges=yes\"",
                "0 iodef \"mailto:security@example.com\" | 0 iodef \"mailto:security@example.com\"",
                "0 iodef https://ca-reports.example.com/caa | 0 iodef \"https://ca-reports.example.com/caa\""})
        void caaValuesAreAlwaysQuoted(String typed, String expected) {
            assertThat(valid("@", "CAA", "", typed).content()).isEqualTo(expected);
        }

        @Test
        void caaErrorsSayWhatIsExpected() {
            assertThat(contentError("CAA", "0 issuer letsencrypt.org")).isEqualTo("The CAA tag [issuer] is not supported; use issue, "
                    + "issuewild, iodef.");
            assertThat(contentError("CAA", "0 contactemail a@example.com")).startsWith("The CAA tag [contactemail] is not supported");
            assertThat(contentError("CAA", "256 issue letsencrypt.org")).isEqualTo("The flags value [256] must be a whole number "
                    + "from 0 to 255.");
            assertThat(contentError("CAA", "0 issue")).isEqualTo("A CAA record is flags, tag and value, such as 0 issue "
                    + "\"letsencrypt.org\".");
            assertThat(contentError("CAA", "0 issue \"letsencrypt.org; bad param\"")).startsWith("The CAA parameter [bad param]");
            assertThat(contentError("CAA", "0 issue \"https://letsencrypt.org\"")).contains("certificate authority domain");
            assertThat(contentError("CAA", "0 iodef \"ftp://example.com\"")).isEqualTo("The iodef value must be a mailto: or "
                    + "https:// URL, such as mailto:security@example.com.");
            assertThat(contentError("CAA", "0 iodef mailto:nobody")).startsWith("The iodef value must be");
        }
    }

    @Nested
    class ZoneWide {

        private static RecordSet set(String name, RecordType type, String... contents) {
            return new RecordSet(name, type, 300, List.of(contents));
        }

        @Test
        void aValidZoneHasNoProblems() {
            assertThat(ZoneRules.check(ZONE, List.of(
                    set("example.com", RecordType.A, "192.0.2.1"),
                    set("example.com", RecordType.NS, "ns1.provider.net.", "ns2.provider.net."),
                    set("www.example.com", RecordType.CNAME, "example.com."),
                    set("dev.example.com", RecordType.NS, "ns1.dev.example.com."),
                    set("ns1.dev.example.com", RecordType.A, "192.0.2.53"),
                    set("example.com", RecordType.MX, "0 .")))).isEmpty();
        }

        @Test
        void aCnameBesideOtherRecordsIsAProblemNamingThem() {
            assertThat(ZoneRules.check(ZONE, List.of(
                    set("www.example.com", RecordType.A, "192.0.2.1"),
                    set("www.example.com", RecordType.CNAME, "example.com."),
                    set("www.example.com", RecordType.TXT, "\"x\""))))
                    .containsExactly(new ZoneProblem("www.example.com", RecordType.CNAME,
                            "www.example.com has a CNAME, so it can have no other records; it also has A, TXT."));
        }

        @Test
        void aCnameHasOneValueAndNotAtTheApex() {
            assertThat(ZoneRules.check(ZONE, List.of(set("example.com", RecordType.CNAME, "a.example.net.", "b.example.net."))))
                    .extracting(ZoneProblem::message)
                    .containsExactly("A CNAME cannot be at the zone apex; use an A/AAAA record or your provider's ALIAS.",
                            "example.com has 2 CNAME values; a name can have only one.");
        }

        @Test
        void recordsBelowADelegationAreProblemsExceptGlue() {
            assertThat(ZoneRules.check(ZONE, List.of(
                    set("dev.example.com", RecordType.NS, "ns1.dev.example.com."),
                    set("ns1.dev.example.com", RecordType.AAAA, "2001:db8::53"),
                    set("dev.example.com", RecordType.MX, "10 mail.example.com."),
                    set("www.dev.example.com", RecordType.TXT, "\"hidden\""))))
                    .extracting(ZoneProblem::name, ZoneProblem::type)
                    .containsExactly(tuple("dev.example.com", RecordType.MX),
                            tuple("www.dev.example.com", RecordType.TXT));
            assertThat(ZoneRules.check(ZONE, List.of(set("dev.example.com", RecordType.NS, "ns1.example.net."),
                    set("www.dev.example.com", RecordType.TXT, "\"hidden\""))).getFirst().message())
                    .isEqualTo("The TXT record of www.dev.example.com is below the delegated subzone dev.example.com (NS), so "
                            + "resolvers never see it; only glue A/AAAA records for the subzone's name servers may be there. "
                            + "Create it in the subzone instead.");
        }

        @Test
        void duplicatesNullMxBesideOthersAndOutsideNamesAreProblems() {
            assertThat(ZoneRules.check(ZONE, List.of(
                    set("example.com", RecordType.A, "192.0.2.1", "192.0.2.1"),
                    set("example.com", RecordType.MX, "0 .", "10 mail.example.com."),
                    set("www.example.org", RecordType.A, "192.0.2.1"))))
                    .extracting(ZoneProblem::message)
                    .containsExactly("The A record 192.0.2.1 of example.com is listed twice.",
                            "A null MX (0 .) says example.com receives no mail, so it must be the only MX record there.",
                            "www.example.org is outside the zone example.com.");
        }
    }
}
