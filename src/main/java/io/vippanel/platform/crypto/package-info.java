/** Secret encryption at rest. */
@org.jspecify.annotations.NullMarked
@org.springframework.modulith.NamedInterface("crypto")
package io.vippanel.platform.crypto;
