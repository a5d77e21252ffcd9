/** Platform wiring: database endpoints and the embedded default. */
@org.jspecify.annotations.NullMarked
package io.vippanel.platform.internal;
