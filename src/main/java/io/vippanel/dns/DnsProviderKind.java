package io.vippanel.dns;

/** Where a zone is hosted. */
public enum DnsProviderKind {
    /** An authoritative PowerDNS server reached through its HTTP API; the panel-managed option. */
    POWERDNS("PowerDNS"),
    CLOUDFLARE("Cloudflare"),
    ROUTE53("Amazon Route 53");

    private final String displayName;

    DnsProviderKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
