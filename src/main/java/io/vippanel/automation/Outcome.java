package io.vippanel.automation;

/** How a playbook or SSH command run ended; callers branch on it rather than on exit codes or message text. */
public enum Outcome {
    /** Finished; every task (or the command) succeeded. */
    SUCCEEDED,
    /** Reached the server, but a task failed or the command exited non-zero. */
    FAILED,
    /** Could not connect or log in (network, closed port, key refused). */
    UNREACHABLE,
    /** The server's host key is not the pinned one: nothing was run on it. */
    HOST_KEY_MISMATCH,
    /** Stopped because it ran longer than its timeout. */
    TIMED_OUT,
    /** Stopped because the listener asked for it. */
    CANCELLED;

    public boolean succeeded() {
        return this == SUCCEEDED;
    }
}
