/** Audit page, CSV export and the audit REST API. */
@org.jspecify.annotations.NullMarked
package io.vippanel.audit.web;
