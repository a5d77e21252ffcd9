/**
 * The Hetzner Cloud API client ({@code https://api.hetzner.cloud/v1}); its JSON is read into records that mirror
 * the published API, so a renamed field fails in one place.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal.provider.hetzner;
