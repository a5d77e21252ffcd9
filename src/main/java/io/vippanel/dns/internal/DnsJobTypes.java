package io.vippanel.dns.internal;

/** Names of the DNS module's job types (stored with every job). */
public final class DnsJobTypes {

    public static final String CREATE_ZONE = "dns.create-zone";
    public static final String SYNC_ZONE = "dns.sync-zone";
    public static final String DELETE_ZONE = "dns.delete-zone";
    public static final String DNSSEC = "dns.dnssec";
    public static final String DRIFT = "dns.drift";

    private DnsJobTypes() {
    }
}
