/**
 * Background jobs: durable job records with ordered log lines, retries with backoff, cancellation, crash
 * recovery across workers (db-scheduler on PostgreSQL), recurring schedules, and live progress over SSE.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.jobs;
