package io.vippanel.dns.internal.provider.powerdns;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of the PowerDNS Authoritative API's JSON that the panel reads and sends, as documented at
 * doc.powerdns.com/authoritative/http-api (names are snake_case on the wire).
 */
final class PowerDnsJson {

    private PowerDnsJson() {
    }

    record Server(String id, @Nullable String version, @Nullable String daemonType) {
    }

    /** A zone; {@code rrsets} only in the answer for a single zone. */
    record Zone(String id, String name, @Nullable String kind, @Nullable List<Rrset> rrsets) {
    }

    /** Records as PowerDNS holds them: content in presentation format, names with the trailing dot. */
    record Rrset(String name, String type, int ttl, List<Record> records) {
    }

    record Record(String content, boolean disabled) {
    }

    /**
     * {@code soa_edit_api} DEFAULT: every change through the API raises the SOA serial (to today's date-based
     * serial or by one), so secondaries and caches notice it.
     */
    record NewZone(String name, String kind, List<String> nameservers, String soaEditApi) {
    }

    record Patch(List<RrsetChange> rrsets) {
    }

    /** One entry of a PATCH; PowerDNS reads {@code changetype} to tell them apart. */
    sealed interface RrsetChange permits Replace, Delete {
    }

    record Replace(String name, String type, int ttl, String changetype, List<Record> records) implements RrsetChange {
        Replace(String name, String type, int ttl, List<Record> records) {
            this(name, type, ttl, "REPLACE", records);
        }
    }

    record Delete(String name, String type, String changetype) implements RrsetChange {
        Delete(String name, String type) {
            this(name, type, "DELETE");
        }
    }

    /** A zone's signing key; {@code ds} holds "keytag algorithm digesttype digest" for key-signing keys. */
    record Cryptokey(long id, boolean active, @Nullable String keytype, @Nullable List<String> ds) {
    }

    record NewCryptokey(String keytype, boolean active, String algorithm) {
    }

    /** PowerDNS's error answer: {@code error} always, {@code errors} for some validation failures. */
    record ErrorBody(@Nullable String error, @Nullable List<String> errors) {
    }
}
