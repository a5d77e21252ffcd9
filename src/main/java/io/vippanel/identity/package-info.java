/**
 * Users, login with password and TOTP, recovery codes, sessions, invitations, password resets and API tokens.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.identity;
