/** How the runners work: process groups, private run folders, ansible's JSON events, redaction, pinned keys. */
@org.jspecify.annotations.NullMarked
package io.vippanel.automation.internal;
