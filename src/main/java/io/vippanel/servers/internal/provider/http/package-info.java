/**
 * The HTTP plumbing the REST provider clients share, so that authentication, pagination, rate limits, retries,
 * error bodies and action polling behave the same for every provider and are written once.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal.provider.http;
