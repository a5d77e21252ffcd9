/**
 * X.509 certificates for sites: checking an uploaded custom certificate with its chain and private key, and probing the
 * certificate a server actually serves for a host name.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.ssl.internal.cert;
