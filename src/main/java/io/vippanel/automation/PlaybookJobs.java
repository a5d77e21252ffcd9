package io.vippanel.automation;

import io.vippanel.jobs.JobCancelled;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobLogLevel;
import io.vippanel.platform.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs a playbook as the body of a background job, the way every module that changes servers does: output goes
 * to the job log line by line, the job's cancel request stops the run, secret variables are masked in the job
 * record too, and the outcome becomes the job's: an unreachable server or a timeout is retried, a failed task
 * fails the job with the task's name and message, and a changed host key fails it at once and is audited.
 */
@Component
public class PlaybookJobs {

    private final PlaybookRunner runner;

    public PlaybookJobs(PlaybookRunner runner) {
        this.runner = runner;
    }

    /**
     * Runs the playbook within the job and returns its result when every task succeeded.
     *
     * @throws JobFailure   when the run did not succeed (retryable when the server could not be reached in time)
     * @throws JobCancelled when the job was cancelled during the run
     */
    public PlaybookResult run(JobContext job, PlaybookRun run) {
        for (String name : run.secretVars()) {
            Object value = run.vars().get(name);
            if (value != null) {
                job.redact(value.toString());
            }
        }
        job.info("Running " + run.playbook() + " on " + run.host().endpoint() + ".");
        PlaybookResult result = runner.run(run, new RunListener() {
            @Override
            public void line(LogLevel level, String text) {
                job.log(JobLogLevel.valueOf(level.name()), text);
            }

            @Override
            public boolean cancelled() {
                return job.cancelRequested();
            }
        });
        Map<String, Object> record = describe(result);
        String reason = result.failureMessage() == null ? result.outcome().name().toLowerCase(java.util.Locale.ROOT) : result.failureMessage();
        return switch (result.outcome()) {
            case SUCCEEDED -> result;
            case CANCELLED -> throw new JobCancelled();
            case UNREACHABLE, TIMED_OUT -> throw JobFailure.retryable(reason, record);
            case FAILED -> throw JobFailure.permanent(result.failedTask() == null ? reason
                    : "Task \"" + result.failedTask() + "\" failed: " + reason, record);
            case HOST_KEY_MISMATCH -> {
                job.audit("automation.host_key_mismatch", AuditEvent.Outcome.FAILURE,
                        Map.of("host", run.host().endpoint(), "playbook", run.playbook()));
                throw JobFailure.permanent(reason, record);
            }
        };
    }

    /** The result as stored with the job: outcome, recap, per-task results and the playbook's published values. */
    public static Map<String, Object> describe(PlaybookResult result) {
        Map<String, Object> recap = new LinkedHashMap<>();
        recap.put("ok", result.recap().ok());
        recap.put("changed", result.recap().changed());
        recap.put("failed", result.recap().failed());
        recap.put("unreachable", result.recap().unreachable());
        recap.put("skipped", result.recap().skipped());
        recap.put("rescued", result.recap().rescued());
        recap.put("ignored", result.recap().ignored());
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (PlaybookResult.TaskResult task : result.tasks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", task.name());
            entry.put("host", task.host());
            entry.put("status", task.status());
            if (task.message() != null) {
                entry.put("message", task.message());
            }
            tasks.add(entry);
        }
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
        described.put("exitCode", result.exitCode());
        described.put("recap", recap);
        described.put("tasks", tasks);
        if (result.failedTask() != null) {
            described.put("failedTask", result.failedTask());
        }
        if (result.failureMessage() != null) {
            described.put("failureMessage", result.failureMessage());
        }
        described.put("outputs", result.outputs());
        return described;
    }
}
