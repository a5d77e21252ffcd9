/** Web and API entry points of identity: security wiring, login, setup, profile, users, tokens. */
@org.jspecify.annotations.NullMarked
package io.vippanel.identity.web;
