package io.vippanel.ssl.internal.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Matches host names against a certificate's DNS names as browsers do (RFC 6125, CA/Browser Forum): the subject's common
 * name is ignored, and a wildcard stands only for the whole left-most label, so {@code *.example.com} covers
 * {@code a.example.com} but neither {@code example.com} nor {@code a.b.example.com}.
 */
final class CertificateNames {

    private static final int DNS_NAME = 2;

    private CertificateNames() {
    }

    /** The certificate's DNS subject alternative names, lower case; none when the extension is missing or unreadable. */
    static List<String> dnsNames(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        return names.stream()
                .filter(name -> name.size() == 2 && Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String)
                .map(name -> ((String) name.get(1)).toLowerCase(Locale.ROOT))
                .toList();
    }

    /** The host names that none of {@code dnsNames} covers, in the given order. */
    static List<String> uncovered(List<String> dnsNames, List<String> hostNames) {
        return hostNames.stream().filter(host -> dnsNames.stream().noneMatch(name -> covers(name, host))).toList();
    }

    /** Whether one certificate name (exact or {@code *.} wildcard) covers one host name. */
    static boolean covers(String certificateName, String hostName) {
        String name = withoutTrailingDot(certificateName.toLowerCase(Locale.ROOT));
        String host = withoutTrailingDot(hostName.toLowerCase(Locale.ROOT));
        if (!name.startsWith("*.")) {
            return !name.contains("*") && name.equals(host);
        }
        String parent = name.substring(2);
        // A wildcard directly under a top-level domain (*.com) would cover other people's names; no CA may issue one.
        if (!parent.contains(".") || parent.contains("*")) {
            return false;
        }
        int firstDot = host.indexOf('.');
        return firstDot > 0 && host.substring(firstDot + 1).equals(parent);
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
