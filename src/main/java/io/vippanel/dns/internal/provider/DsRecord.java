package io.vippanel.dns.internal.provider;

/**
 * A delegation signer record to put at the registrar.
 *
 * @param keyTag     the key's tag
 * @param algorithm  the DNSSEC algorithm number (13 = ECDSAP256SHA256)
 * @param digestType 2 = SHA-256, 4 = SHA-384
 * @param digest     hex, upper case
 */
public record DsRecord(int keyTag, int algorithm, int digestType, String digest) {

    /** The record's data in presentation format, as registrars ask for it. */
    public String presentation() {
        return keyTag + " " + algorithm + " " + digestType + " " + digest;
    }
}
