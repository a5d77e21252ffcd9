/**
 * The append-only, hash-chained audit trail: every privileged act, who did it, where and to what.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.audit;
