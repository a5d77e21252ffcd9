package io.vippanel.ssl.internal.acme;

/** Which challenge proves control of a name. Wildcard names can only be proved with DNS-01. */
public enum ChallengeChoice {
    /** HTTP-01 for plain names, DNS-01 for wildcards. */
    AUTOMATIC,
    /** HTTP-01 for every name; a wildcard in the request is refused before ordering. */
    HTTP_01,
    /** DNS-01 for every name. */
    DNS_01
}
