package io.vippanel.dns.internal.provider;

import io.vippanel.dns.DnsProviderKind;
import java.util.List;
import java.util.Optional;

/**
 * One DNS provider account's API, as the panel uses it. Every method talks to the provider live, blocks, follows
 * pagination, waits out rate limits (429, Route53 throttling) and retries outages with capped backoff. Failures are
 * {@link DnsProviderException}s carrying the provider's own messages.
 */
public interface DnsProvider {

    DnsProviderKind kind();

    /**
     * Checks the credentials live with a cheap authenticated call.
     *
     * @return a short description of what they reach, for the "test connection" answer (e.g. "3 zones")
     */
    String verifyCredentials();

    /** Every zone the account holds. */
    List<ProviderZone> zones();

    /** The zone of that name (lower case, no trailing dot); empty when the account has none. */
    Optional<ProviderZone> findZone(String name);

    /**
     * Creates an empty zone (the provider's own SOA and NS records only) and returns it with its name servers.
     * A zone the account already holds is a {@link DnsProviderException.Reason#CONFLICT}.
     */
    ProviderZone createZone(String name);

    /** Deletes the zone and all its records; an already missing zone is not an error. */
    void deleteZone(ProviderZone zone);

    /**
     * Every record set of the zone, SOA excluded, NS included, names absolute without the trailing dot, contents
     * in the presentation format of {@link RecordSet}. Types outside {@link io.vippanel.dns.RecordType} are left out.
     */
    List<RecordSet> recordSets(ProviderZone zone);

    /**
     * Applies the changes as one all-or-nothing batch: PowerDNS one PATCH, Route53 one change batch, Cloudflare one
     * call of its batch endpoint. At most one change per name and type.
     */
    void apply(ProviderZone zone, List<RecordSetChange> changes);

    /** DNSSEC, where the provider signs zones itself (PowerDNS); empty otherwise. */
    default Optional<Dnssec> dnssec() {
        return Optional.empty();
    }

    /** Zone signing on the provider. */
    interface Dnssec {

        /** Signs the zone (one ECDSAP256SHA256 key) and returns the DS records for the registrar. */
        List<DsRecord> enable(ProviderZone zone);

        /** Removes the zone's keys; the zone is served unsigned. Remove the DS records at the registrar first. */
        void disable(ProviderZone zone);

        /** The DS records of the zone's active keys; empty when the zone is not signed. */
        List<DsRecord> dsRecords(ProviderZone zone);
    }
}
