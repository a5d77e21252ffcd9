package io.vippanel.dns.internal.provider;

import io.vippanel.dns.DnsProviderKind;

/** Makes the API client of one provider kind from an account's credentials. */
public interface DnsProviderFactory {

    DnsProviderKind kind();

    /** @throws IllegalArgumentException for credentials of another kind */
    DnsProvider connect(DnsCredentials credentials);
}
