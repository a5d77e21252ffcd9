/**
 * Shared basics every module may use: configuration, ids, secret encryption, database wiring and web basics.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.platform;
