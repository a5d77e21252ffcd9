package io.vippanel.ssl.internal.acme;

import java.util.List;

/**
 * Puts challenge answers where the CA looks for them: a file on the site's web server for HTTP-01, a TXT record at the
 * domain's DNS provider for DNS-01. It gets all challenges of an order at once, so that DNS changes can go out as one
 * batch per zone and propagation is waited for once.
 */
public interface ChallengeResponder {

    /**
     * Publishes the answers and returns once the CA can see them (e.g. the TXT records are on every authoritative
     * server). A runtime exception here ends the order with {@code RESPONDER_FAILED}.
     */
    void present(List<AcmeChallenge> challenges);

    /**
     * Removes what {@link #present} published. Called after validation, whether it passed or failed, and also after
     * {@link #present} failed part way; a failure here is reported as suppressed, never in place of the order's result.
     */
    void cleanUp(List<AcmeChallenge> challenges);
}
