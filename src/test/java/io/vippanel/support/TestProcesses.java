package io.vippanel.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Stopping the real servers tests start (also when a test forgets), and reading their logs for failure messages. */
final class TestProcesses {

    private TestProcesses() {
    }

    /**
     * Does the shutdown hook's work now and unregisters it, for a server's {@code close()}; while the JVM is shutting
     * down the hook runs by itself.
     */
    static void runShutdownHookNow(Thread shutdownHook) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            return;
        }
        shutdownHook.run();
    }

    /** Asks the process to end, and ends it forcibly after 5 s; an already ended or never started one is fine. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The log file's text, or why there is none: it goes into failure messages, which must not fail themselves. */
    static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
