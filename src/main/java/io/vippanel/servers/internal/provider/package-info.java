/**
 * Cloud provider clients: one {@link io.vippanel.servers.internal.provider.CloudProvider} per provider, made by a
 * {@link io.vippanel.servers.internal.provider.CloudProviderFactory} bean, reached through
 * {@link io.vippanel.servers.internal.provider.CloudProviders}.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers.internal.provider;
