package io.vippanel.servers.internal.provider;

import org.jspecify.annotations.Nullable;

/**
 * A place where the provider creates VMs.
 *
 * @param id      the provider's id ({@code fsn1}, {@code fra1}, {@code ewr}, {@code eu-central-1})
 * @param name    for people ({@code Falkenstein}, {@code Frankfurt 1})
 * @param country ISO 3166 alpha-2 code when the provider says, else null
 */
public record Region(String id, String name, @Nullable String country) {
}
