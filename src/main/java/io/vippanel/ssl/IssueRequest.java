package io.vippanel.ssl;

import org.jspecify.annotations.Nullable;

/**
 * What a person asks for when issuing a site's certificate.
 *
 * @param challenge "automatic" (default), "http-01" or "dns-01"
 * @param wildcard  also cover {@code *.<domain>}: needs DNS-01 through a zone the panel manages
 * @param hsts      tell browsers to use HTTPS only (Strict-Transport-Security)
 */
public record IssueRequest(@Nullable String challenge, @Nullable Boolean wildcard, @Nullable Boolean hsts) {
}
