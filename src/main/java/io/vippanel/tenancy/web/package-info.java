/** Tenant pages and the tenants REST API. */
@org.jspecify.annotations.NullMarked
package io.vippanel.tenancy.web;
