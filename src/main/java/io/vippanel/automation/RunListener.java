package io.vippanel.automation;

/**
 * Receives a run's output as it happens and tells the runner when to stop. The jobs module adapts this to its
 * job log; the runners call {@link #line} from one thread at a time, with secrets already masked.
 */
public interface RunListener {

    /** A listener that keeps nothing, for callers that only need the result. */
    RunListener NONE = (level, text) -> { };

    void line(LogLevel level, String text);

    /** Polled about every 200 ms while a run is in progress; {@code true} stops the run (outcome CANCELLED). */
    default boolean cancelled() {
        return false;
    }
}
