/**
 * Tenants (platform, resellers, clients) as a tree, their limits and status, roles and the access policy,
 * and the tenant scope that every transaction carries into PostgreSQL row-level security.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.tenancy;
