/**
 * The Vultr API client ({@code https://api.vultr.com/v2}); its JSON is read into records that mirror the
 * published API, so a renamed field fails in one place.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal.provider.vultr;
