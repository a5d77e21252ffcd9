@org.jspecify.annotations.NullMarked
package io.vippanel.ssl.internal;
