/**
 * The ACME client: the platform's account at a CA ({@link io.vippanel.ssl.internal.acme.AcmeAccounts}), certificate
 * orders with challenges answered by a {@link io.vippanel.ssl.internal.acme.ChallengeResponder}
 * ({@link io.vippanel.ssl.internal.acme.AcmeIssuer}) and renewal windows. Blocking library code on acme4j; every
 * failure is an {@link io.vippanel.ssl.internal.acme.AcmeFailure} with the CA's own words.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.ssl.internal.acme;
