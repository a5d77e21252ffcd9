package io.vippanel.dns.internal.provider;

import org.jspecify.annotations.Nullable;

/** Decrypted credentials of a DNS provider account, held only while a request or job needs them. */
public sealed interface DnsCredentials {

    /**
     * PowerDNS's HTTP API.
     *
     * @param apiUrl   the API's base address, e.g. {@code http://127.0.0.1:8081} (the panel adds {@code /api/v1})
     * @param apiKey   the {@code api-key} of the PowerDNS configuration, sent as {@code X-API-Key}
     * @param serverId the API's server id, {@code localhost} unless configured otherwise
     * @param nameservers the names new zones are delegated to (their NS records), e.g. {@code ns1.example.net}
     */
    record PowerDns(String apiUrl, String apiKey, String serverId, java.util.List<String> nameservers)
            implements DnsCredentials {
        public PowerDns {
            nameservers = java.util.List.copyOf(nameservers);
        }

        @Override
        public String toString() {
            return "PowerDns[" + apiUrl + ", ********, " + serverId + ", " + nameservers + "]";
        }
    }

    /**
     * A Cloudflare API token (Zone:Read, DNS:Edit; Zone:Edit to create zones).
     *
     * @param accountId the account new zones are created in; when null, the token's only account is used
     */
    record Cloudflare(String apiToken, @Nullable String accountId) implements DnsCredentials {
        @Override
        public String toString() {
            return "Cloudflare[********, " + accountId + "]";
        }
    }

    /** An AWS access key pair with Route 53 rights. */
    record Route53(String accessKeyId, String secretAccessKey) implements DnsCredentials {
        @Override
        public String toString() {
            return "Route53[" + accessKeyId + ", ********]";
        }
    }
}
