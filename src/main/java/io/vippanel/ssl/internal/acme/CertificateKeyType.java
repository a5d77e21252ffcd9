package io.vippanel.ssl.internal.acme;

/** The key of an issued certificate, made fresh for every order. */
public enum CertificateKeyType {
    /** ECDSA on P-256: small and fast, what every current client accepts. */
    EC_P256,
    /** RSA 2048 bits, for old clients that know no ECDSA. */
    RSA_2048
}
