package io.vippanel.ssl.internal.acme;

/** A challenge of one order, as a {@link ChallengeResponder} must answer it. */
public sealed interface AcmeChallenge {

    /** The name being proved, as ordered ({@code *.example.com} for a wildcard). */
    String name();

    /**
     * Serve {@link #content()} as {@code text/plain} at {@code http://<name>/.well-known/acme-challenge/<token>} on
     * port 80 (redirects to HTTPS are followed by the CA).
     */
    record Http01(String name, String token, String content) implements AcmeChallenge {

        public static final String PATH_PREFIX = "/.well-known/acme-challenge/";

        /** The path the CA requests, {@code /.well-known/acme-challenge/<token>}. */
        public String path() {
            return PATH_PREFIX + token;
        }
    }

    /**
     * Publish a TXT record {@code txtValue} at {@code recordName}. A wildcard and its base name share one record name
     * with two different values, so a responder adds values to the name's TXT set rather than replacing it.
     *
     * @param recordName absolute, lower case, without the trailing dot: {@code _acme-challenge.example.com}
     */
    record Dns01(String name, String recordName, String txtValue) implements AcmeChallenge {
    }
}
