package io.vippanel.automation;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a playbook run did, taken from ansible's structured events rather than from its screen output, with every
 * secret already masked.
 *
 * @param outcome        how the run ended
 * @param exitCode       ansible-playbook's exit status (0 ok, 2 a task failed, 4 unreachable, 128+n killed by signal n;
 *                       -1 if it could not be started)
 * @param recap          the PLAY RECAP counters, summed over hosts
 * @param tasks          one entry per task and host, in the order they finished
 * @param failedTask     the task that failed or was running when the run stopped, if any
 * @param failureMessage why the run did not succeed, for a person to read
 * @param outputs        values the playbook published with {@code ansible.builtin.set_stats} (e.g. the facts
 *                       check-connection.yml gathers)
 */
public record PlaybookResult(Outcome outcome, int exitCode, Recap recap, List<TaskResult> tasks,
                             @Nullable String failedTask, @Nullable String failureMessage, Map<String, Object> outputs) {

    public PlaybookResult {
        tasks = List.copyOf(tasks);
        outputs = Map.copyOf(outputs);
    }

    public boolean succeeded() {
        return outcome.succeeded();
    }

    /** The PLAY RECAP counters. */
    public record Recap(int ok, int changed, int failed, int unreachable, int skipped, int rescued, int ignored) {
        public static final Recap NONE = new Recap(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * One task's result on one host.
     *
     * @param status  {@code ok}, {@code changed}, {@code failed}, {@code skipped} or {@code unreachable}
     * @param message the module's message ({@code msg}, plus stderr for failed commands), if it gave one
     */
    public record TaskResult(String name, String host, String status, @Nullable String message) {
    }
}
