package io.vippanel.dns.internal.zone;

/** A message about one line of a zone file; line 0 speaks of the whole file. */
public record LineMessage(int line, String message) {

    @Override
    public String toString() {
        return line == 0 ? message : "line " + line + ": " + message;
    }
}
