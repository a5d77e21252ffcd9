package io.vippanel.ssl.internal.acme;

/** The steps of {@link AcmeIssuer#issue}, in order; a job logs them with their durations. */
public enum IssuanceStep {
    /** The order is created at the CA and its authorizations read. */
    ORDER,
    /** The answers are presented, the CA validates them, the answers are cleaned up. */
    CHALLENGE,
    /** The certificate key and CSR are made and the CA signs the certificate. */
    FINALIZE,
    /** The certificate chain is downloaded. */
    DOWNLOAD
}
