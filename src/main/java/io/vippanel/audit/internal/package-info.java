/** Audit storage. */
@org.jspecify.annotations.NullMarked
package io.vippanel.audit.internal;
