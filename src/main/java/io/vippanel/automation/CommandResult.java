package io.vippanel.automation;

import org.jspecify.annotations.Nullable;

/**
 * What an SSH command did.
 *
 * @param outcome        SUCCEEDED when the command exited 0, FAILED for another exit status, otherwise why it did
 *                       not run to the end
 * @param exitStatus     the command's exit status; -1 when there is none (not run, stopped, killed by a signal)
 * @param stdout         its standard output (the first {@value #MAX_CAPTURED_CHARS} characters; all of it went to the
 *                       listener)
 * @param stderr         its standard error, likewise
 * @param failureMessage why it did not succeed, for a person to read
 */
public record CommandResult(Outcome outcome, int exitStatus, String stdout, String stderr, @Nullable String failureMessage) {

    /** How much output a result keeps per stream, so that a chatty command cannot exhaust memory. */
    public static final int MAX_CAPTURED_CHARS = 1 << 20;

    public boolean succeeded() {
        return outcome.succeeded();
    }
}
