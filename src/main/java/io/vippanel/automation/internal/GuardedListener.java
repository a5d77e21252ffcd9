package io.vippanel.automation.internal;

import io.vippanel.automation.LogLevel;
import io.vippanel.automation.RunListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's listener as the runners use it: lines arrive one at a time even though stdout and stderr are
 * read by two threads, and a listener that throws (a job log that cannot write) never breaks the run it watches.
 */
public final class GuardedListener {

    private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

    private final RunListener listener;

    public GuardedListener(RunListener listener) {
        this.listener = listener;
    }

    public synchronized void line(LogLevel level, String text) {
        try {
            listener.line(level, text);
        } catch (RuntimeException e) {
            log.warn("A run listener failed to take a line", e);
        }
    }

    public boolean cancelled() {
        try {
            return listener.cancelled();
        } catch (RuntimeException e) {
            log.warn("A run listener failed to answer whether to cancel; going on", e);
            return false;
        }
    }
}
