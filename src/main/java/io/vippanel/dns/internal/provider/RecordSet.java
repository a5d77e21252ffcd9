package io.vippanel.dns.internal.provider;

import io.vippanel.dns.RecordType;
import java.util.List;

/**
 * All records of one name and type (an RRset), as providers store them.
 *
 * @param name     the owner name, absolute, lower case, without the trailing dot ({@code www.example.com}; the apex
 *                 is the zone name itself)
 * @param ttl      seconds
 * @param contents each record's data in RFC 1035 presentation format, names absolute with the trailing dot:
 *                 A {@code 192.0.2.1}, AAAA {@code 2001:db8::1}, CNAME/NS {@code host.example.net.},
 *                 MX {@code 10 mail.example.com.}, TXT one or more quoted strings {@code "v=spf1 -all"},
 *                 SRV {@code 10 5 5060 sip.example.com.}, CAA {@code 0 issue "letsencrypt.org"}
 */
public record RecordSet(String name, RecordType type, int ttl, List<String> contents) {

    public RecordSet {
        contents = List.copyOf(contents);
    }
}
