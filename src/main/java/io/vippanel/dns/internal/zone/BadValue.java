package io.vippanel.dns.internal.zone;

/** A typed value that breaks a rule; its message is shown to the person who typed it. */
final class BadValue extends RuntimeException {

    BadValue(String message) {
        super(message, null, false, false);
    }
}
