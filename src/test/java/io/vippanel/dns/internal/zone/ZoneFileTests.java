package io.vippanel.dns.internal.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vippanel.dns.RecordType;
import io.vippanel.dns.internal.provider.RecordSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zone files: importing BIND, PowerDNS and Cloudflare exports, errors with their lines, and export that reads back. */
class ZoneFileTests {

    private static final Instant EXPORTED = Instant.parse("2026-11-25T10:15:30Z");

    private static String resource(String name) throws IOException {
        try (InputStream in = ZoneFileTests.class.getResourceAsStream("/dns/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static RecordSet set(String name, RecordType type, int ttl, String... contents) {
        return new RecordSet(name, type, ttl, List.of(contents));
    }

    private static List<String> messages(List<LineMessage> messages) {
        return messages.stream().map(LineMessage::toString).toList();
    }

    @Test
    void aBindFileIsImported() throws IOException {
        ZoneImport result = ZoneFileParser.parse("example.com", resource("bind-example.com.zone"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                set("example.com", RecordType.A, 3600, "192.0.2.10"),
                set("example.com", RecordType.AAAA, 3600, "2001:db8::10"),
                set("example.com", RecordType.MX, 3600, "10 mail.example.com.", "20 mail.backup.example.net."),
                set("example.com", RecordType.TXT, 3600, "\"v=spf1 mx include:_spf.example.net -all\""),
                set("example.com", RecordType.CAA, 3600, "0 issue \"letsencrypt.org\"", "0 iodef \"mailto:security@example.com\""),
                set("www.example.com", RecordType.CNAME, 300, "example.com."),
                set("mail.example.com", RecordType.A, 300, "192.0.2.20"),
                set("mail.example.com", RecordType.AAAA, 3600, "2001:db8::20"),
                set("_dmarc.example.com", RecordType.TXT, 3600, "\"v=DMARC1; p=reject; \" \"rua=mailto:dmarc@example.com\""),
                set("selector1._domainkey.example.com", RecordType.TXT, 3600,
                        "\"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx\" \"b0Yz2ntZ9N2p;semi\""),
                set("_sip._tcp.example.com", RecordType.SRV, 86400, "10 60 5060 sip.example.com."),
                set("*.preview.example.com", RecordType.A, 3600, "192.0.2.30"),
                set("dev.example.com", RecordType.NS, 3600, "ns1.dev.example.com."),
                set("ns1.dev.example.com", RecordType.A, 3600, "192.0.2.31"),
                set("shop.example.com", RecordType.A, 3600, "192.0.2.40"),
                set("api.shop.example.com", RecordType.A, 3600, "192.0.2.41"));
        assertThat(messages(result.notes())).containsExactly(
                "line 5: the SOA record is ignored: the DNS provider keeps the zone's SOA.",
                "line 11: the NS record at the zone apex is ignored: the DNS provider sets the zone's own name servers.",
                "line 12: the NS record at the zone apex is ignored: the DNS provider sets the zone's own name servers.",
                "line 30: skipped the PTR record of 4.2.0.192.in-addr.arpa.example.com: the panel manages only A, AAAA, CNAME, "
                        + "MX, TXT, SRV, CAA, NS records.");
    }

    @Test
    void aPowerDnsListingIsImported() throws IOException {
        ZoneImport result = ZoneFileParser.parse("example.org", resource("pdns-example.org.zone"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                set("example.org", RecordType.A, 3600, "198.51.100.1"),
                set("example.org", RecordType.MX, 3600, "10 mx1.example.org.", "20 mx2.example.org."),
                set("example.org", RecordType.TXT, 3600, "\"v=spf1 ip4:198.51.100.0/24 -all\""),
                set("example.org", RecordType.CAA, 86400, "0 issuewild \";\""),
                set("_xmpp-client._tcp.example.org", RecordType.SRV, 3600, "5 0 5222 xmpp.example.org."),
                set("mx1.example.org", RecordType.A, 3600, "198.51.100.25"),
                set("mx2.example.org", RecordType.A, 3600, "198.51.100.26"),
                set("www.example.org", RecordType.CNAME, 300, "example.org."),
                set("xmpp.example.org", RecordType.AAAA, 3600, "2001:db8:85a3::8a2e:370:7334"));
        assertThat(messages(result.notes())).hasSize(4).last().asString()
                .startsWith("line 15: skipped the DS record of example.org: the panel manages only");
    }

    @Test
    void aCloudflareExportIsImportedWithItsAutomaticTtlRaisedToTheMinimum() throws IOException {
        ZoneImport result = ZoneFileParser.parse("example.net", resource("cloudflare-example.net.zone"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                set("example.net", RecordType.A, 60, "203.0.113.7"),
                set("api.example.net", RecordType.A, 60, "203.0.113.8"),
                set("example.net", RecordType.AAAA, 60, "2001:db8:1::7"),
                set("example.net", RecordType.CAA, 3600, "0 issue \"pki.goog; cansignhttpexchanges=yes\""),
                set("www.example.net", RecordType.CNAME, 60, "example.net."),
                set("em1234.example.net", RecordType.CNAME, 60, "u1234.wl.sendgrid.net."),
                set("example.net", RecordType.MX, 60, "1 aspmx.l.google.com.", "5 alt1.aspmx.l.google.com."),
                set("example.net", RecordType.TXT, 60, "\"v=spf1 include:_spf.google.com ~all\""),
                set("_dmarc.example.net", RecordType.TXT, 60, "\"v=DMARC1; p=none; rua=mailto:reports@example.net\""),
                set("google._domainkey.example.net", RecordType.TXT, 60,
                        "\"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq0V0sH5V\" \"rZ3n1bQ0ZfZpQIDAQAB\""));
        assertThat(messages(result.notes())).contains(
                "line 27: the SOA record is ignored: the DNS provider keeps the zone's SOA.",
                "line 34: the TTL 1 is outside 60 to 604800 seconds; it becomes 60.");
    }

    @Test
    void parenthesesCommentsEscapesAndEitherOrderOfTtlAndClass() {
        String file = """
                $TTL 2h
                @ IN 600 TXT ( "part one; not a comment" ; a comment
                               "part \\"two\\"" )
                txt IN TXT unquoted words\\ joined
                   1w IN MX ( 10
                              mail )
                """;
        ZoneImport result = ZoneFileParser.parse("example.com", file);

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).containsExactly(
                set("example.com", RecordType.TXT, 600, "\"part one; not a comment\" \"part \\\"two\\\"\""),
                set("txt.example.com", RecordType.TXT, 7200, "\"unquoted\" \"words joined\""),
                set("txt.example.com", RecordType.MX, 604800, "10 mail.example.com."));
    }

    @Test
    void withoutAnyTtlTheDefaultIsUsedAndTheNextRecordsFollowThePrevious() {
        ZoneImport result = ZoneFileParser.parse("example.com", "a A 192.0.2.1\nb 300 A 192.0.2.2\nc A 192.0.2.3\n");

        assertThat(result.records()).extracting(RecordSet::ttl).containsExactly(3600, 300, 300);
        assertThat(messages(result.notes())).containsExactly("line 1: no TTL and no $TTL before this record; it gets 3600 seconds.");
    }

    @Test
    void valuesOfOneNameAndTypeBecomeOneSetWithTheLowestTtl() {
        ZoneImport result = ZoneFileParser.parse("example.com", """
                www 3600 A 192.0.2.1
                www  300 A 192.0.2.2
                www  600 A 192.0.2.1
                """);

        assertThat(result.records()).containsExactly(set("www.example.com", RecordType.A, 300, "192.0.2.1", "192.0.2.2"));
        assertThat(messages(result.notes())).containsExactly(
                "line 2: the A records of www.example.com have TTLs 3600 and 300; the set gets the lowest, 300 seconds.",
                "line 3: the A record 192.0.2.1 of www.example.com appears again; it is kept once.");
    }

    @Test
    void errorsCarryTheirLineAndTheRestIsStillRead() {
        String file = """
                  3600 IN A 192.0.2.1
                $ORIGIN example.com.
                ok      3600 IN A     192.0.2.1
                bad     3600 IN A     192.0.2.999
                quote   3600 IN TXT   "never closed
                paren   3600 IN MX    ( 10 mail.example.com.
                """;
        ZoneImport result = ZoneFileParser.parse("example.com", file);

        assertThat(messages(result.errors())).containsExactly(
                "line 1: the line starts with a space, so it repeats the previous owner name, but no record comes before it.",
                "line 4: bad.example.com A: [192.0.2.999] is not an IPv4 address; enter four numbers from 0 to 255 without "
                        + "leading zeros, such as 192.0.2.1 (a host name belongs in a CNAME record).",
                "line 5: a quoted string is not closed on its line.",
                "line 6: a parenthesis opened here is never closed.");
        assertThat(result.records()).containsExactly(set("ok.example.com", RecordType.A, 3600, "192.0.2.1"));
        assertThat(result.hasErrors()).isTrue();
    }

    @Test
    void unknownTypesDirectivesClassesAndNamesOutsideTheZoneAreErrors() {
        String file = """
                $TTL 1h
                www    IN  CNAMEE  example.com.
                $INCLUDE other.zone
                $GENERATE 1-10 host$ A 192.0.2.$
                chaos  CH  TXT     "x"
                other.example.org.  IN A 192.0.2.1
                srv    IN  SRV     10 5 5060 sip
                )
                """;
        ZoneImport result = ZoneFileParser.parse("example.com", file);

        assertThat(messages(result.errors())).containsExactly(
                "line 2: [CNAMEE] is not a record type; the panel manages A, AAAA, CNAME, MX, TXT, SRV, CAA, NS.",
                "line 3: $INCLUDE is not supported; paste the included file's records in its place.",
                "line 4: the directive $GENERATE is not supported; use $ORIGIN and $TTL.",
                "line 5: only class IN records can be imported, not CH.",
                "line 6: other.example.org A: [other.example.org.] is outside the zone example.com; use a name ending in "
                        + "example.com or one relative to it, such as www or @ for the zone itself.",
                "line 7: srv.example.com SRV: An SRV record's name must start with _service._protocol, such as _sip._tcp or "
                        + "_imaps._tcp.mail.",
                "line 8: a closing parenthesis has no opening one.");
        assertThat(result.records()).isEmpty();
    }

    @Test
    void zoneRulesAreErrorsOnTheSetsFirstLine() {
        ZoneImport result = ZoneFileParser.parse("example.com", """
                $TTL 300
                www   A      192.0.2.1
                www   CNAME  example.com.
                @     CNAME  example.net.
                @     NS     ns1.provider.net.
                """);

        assertThat(messages(result.errors())).containsExactly(
                "line 3: www.example.com has a CNAME, so it can have no other records; it also has A.",
                "line 4: example.com CNAME: A CNAME cannot be at the zone apex (it would hide the zone's other records); use an "
                        + "A/AAAA record or your provider's ALIAS.");
    }

    @Test
    void largeFilesAreRefusedWithTheLimit() {
        ZoneImport tooLarge = ZoneFileParser.parse("example.com", ";" + "x".repeat(ZoneFileParser.MAX_BYTES));
        assertThat(messages(tooLarge.errors())).containsExactly("The zone file is larger than 1 MB; import at most 1048576 bytes "
                + "(10000 records) at a time.");

        StringBuilder many = new StringBuilder("$TTL 300\n");
        for (int i = 0; i <= ZoneFileParser.MAX_RECORDS; i++) {
            many.append("h").append(i).append(" A 192.0.2.1\n");
        }
        ZoneImport tooMany = ZoneFileParser.parse("example.com", many.toString());
        assertThat(messages(tooMany.errors())).containsExactly("line 10002: the zone file has more than 10000 records; import at "
                + "most 10000 at a time.");
        assertThat(tooMany.records()).hasSize(ZoneFileParser.MAX_RECORDS);
    }

    @Test
    void theExportHasAHeaderSortedRecordsAndAlignedColumns() {
        String text = ZoneFileWriter.write("example.com", List.of(
                set("www.example.com", RecordType.CNAME, 300, "example.com."),
                set("_dmarc.example.com", RecordType.TXT, 3600, "\"v=DMARC1; p=none\""),
                set("example.com", RecordType.MX, 3600, "10 mail.example.com."),
                set("example.com", RecordType.A, 3600, "192.0.2.1"),
                set("a.www.example.com", RecordType.A, 86400, "192.0.2.2")), EXPORTED);

        assertThat(text).isEqualTo("""
                ; Zone: example.com
                ; Exported at 2026-11-25T10:15:30Z by VIP Hosting Panel.
                ; The DNS provider keeps the SOA and the NS records at the apex; they are not in this file.
                $ORIGIN example.com.
                $TTL 3600

                @        3600  IN  A      192.0.2.1
                @        3600  IN  MX     10 mail.example.com.
                _dmarc   3600  IN  TXT    "v=DMARC1; p=none"
                www       300  IN  CNAME  example.com.
                a.www   86400  IN  A      192.0.2.2
                """);
    }

    @Test
    void anExportReadsBackIntoTheSameRecordSets() throws IOException {
        List<RecordSet> sets = new ArrayList<>(ZoneFileParser.parse("example.com", resource("bind-example.com.zone")).records());
        sets.add(set("xn--bcher-kva.example.com", RecordType.TXT, 120,
                storedTxt("Grüße aus München " + "ü".repeat(300)), "\"\\\"quoted\\\" and \\\\ and ;\""));
        sets.add(set("*.example.com", RecordType.AAAA, 600, "2001:db8::1", "::ffff:192.0.2.1"));
        sets.add(set("_sip._udp.example.com", RecordType.SRV, 600, "0 0 0 ."));

        ZoneImport back = ZoneFileParser.parse("example.com", ZoneFileWriter.write("example.com", sets, EXPORTED));

        assertThat(back.errors()).isEmpty();
        assertThat(back.notes()).isEmpty();
        assertThat(back.records()).containsExactlyInAnyOrderElementsOf(sets);
    }

    @Test
    void namedCheckzoneAcceptsTheExport(@TempDir Path folder) throws IOException, InterruptedException {
        Path tool = List.of(Path.of("/usr/bin/named-checkzone"), Path.of("/usr/sbin/named-checkzone")).stream()
                .filter(Files::isExecutable).findFirst().orElse(Path.of("named-checkzone-is-not-installed"));
        assumeThat(Files.isExecutable(tool)).as("named-checkzone (Debian bind9-utils) is installed").isTrue();
        List<RecordSet> sets = ZoneFileParser.parse("example.com", resource("bind-example.com.zone")).records();
        String export = ZoneFileWriter.write("example.com", sets, EXPORTED);
        int records = export.indexOf("\n\n") + 1;
        String withSoa = export.substring(0, records) + """
                @  3600  IN  SOA  ns1.example.net. hostmaster.example.com. 1 3600 900 604800 300
                @  3600  IN  NS   ns1.example.net.
                """ + export.substring(records);
        Path file = Files.writeString(folder.resolve("example.com.zone"), withSoa);

        Process process = new ProcessBuilder(tool.toString(), "-k", "fail", "example.com", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** TXT content as the record rules store it. */
    private static String storedTxt(String text) {
        return ((RecordCheck.Valid) RecordInput.check("example.com", "x", "TXT", "", text)).record().content();
    }
}
