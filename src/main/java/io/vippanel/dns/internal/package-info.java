@org.jspecify.annotations.NullMarked
package io.vippanel.dns.internal;
