/** Tenant storage and the transaction wiring that carries the tenant scope into PostgreSQL. */
@org.jspecify.annotations.NullMarked
package io.vippanel.tenancy.internal;
