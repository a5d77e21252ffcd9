/**
 * SSL: certificates for sites and the panel, ordered from ACME CAs (Let's Encrypt or any RFC 8555 CA) with HTTP-01 or
 * DNS-01 challenges, renewed in the window the CA suggests (ACME Renewal Information) or before they expire, and
 * custom certificates uploaded by users. The platform holds one ACME account per CA, its key encrypted at rest.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.ssl;
