package io.vippanel.ssl.internal.acme;

/** Whether an administrator accepted the CA's terms of service ({@link AcmeDirectory#termsOfService()}). */
public enum TermsOfService {
    ACCEPTED_BY_ADMIN,
    NOT_ACCEPTED
}
