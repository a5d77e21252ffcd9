package io.vippanel.automation.internal;

import io.vippanel.automation.LogLevel;
import io.vippanel.automation.PlaybookResult.Recap;
import io.vippanel.automation.PlaybookResult.TaskResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns ansible-playbook's output into readable lines, per-task results and the recap.
 *
 * <p>ansible-playbook runs with the {@code ansible.posix.jsonl} stdout callback, which prints one JSON event per
 * line as it happens. Reading those events instead of the human screen output means results and the recap are
 * parsed from data, not scraped from text that changes between ansible versions; the lines shown to people
 * ("TASK [...]", "ok: [host]", "fatal: [host]: ...", "PLAY RECAP") are rendered from them here. Everything that leaves
 * this class has gone through the run's {@link SecretRedactor}. stdout and stderr are read by two threads, hence
 * the synchronisation.
 */
public final class AnsibleEvents {

    /** Where rendered lines go; called under this object's lock, in order. */
    public interface LineSink {
        void line(LogLevel level, String text);
    }

    private static final int MAX_MESSAGE_CHARS = 4000;
    private static final int STDERR_TAIL_LINES = 20;
    private static final Set<String> RESULT_BOOKKEEPING = Set.of("action", "changed", "failed", "skipped",
            "_ansible_no_log", "_ansible_verbose_always", "_ansible_verbose_override");

    private final JsonMapper json = JsonMapper.builder().build();
    private final SecretRedactor redactor;
    private final LineSink sink;

    private final List<TaskResult> tasks = new ArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private Recap recap = Recap.NONE;
    private Map<String, Object> outputs = Map.of();
    private @Nullable String currentTask;
    private @Nullable String lastFailedTask;
    private @Nullable String lastFailureMessage;
    private @Nullable HostKeyProblem hostKeyProblem;

    public AnsibleEvents(SecretRedactor redactor, LineSink sink) {
        this.redactor = redactor;
        this.sink = sink;
    }

    public synchronized void stdout(String line) {
        if (line.startsWith("{")) {
            try {
                JsonNode event = json.readTree(line);
                if (event.has("_event")) {
                    onEvent(String.valueOf(textOf(event.path("_event"))), event);
                    return;
                }
            } catch (JacksonException notJson) {
                // not an event: show it as it is
            }
        }
        if (!line.isBlank()) {
            emit(LogLevel.INFO, line);
        }
    }

    public synchronized void stderr(String line) {
        if (line.isBlank()) {
            return;
        }
        String text = redactor.redact(line.stripTrailing());
        if (stderrTail.size() == STDERR_TAIL_LINES) {
            stderrTail.removeFirst();
        }
        stderrTail.addLast(text);
        sink.line(text.startsWith("ERROR!") ? LogLevel.ERROR : LogLevel.WARN, text);
    }

    /** A line from the runner itself (stopping, timing out), shown in order with ansible's. */
    public synchronized void note(LogLevel level, String text) {
        emit(level, text);
    }

    private void onEvent(String event, JsonNode node) {
        switch (event) {
            case "v2_playbook_on_play_start" -> emit(LogLevel.INFO, "PLAY [" + name(node.path("play")) + "]");
            case "v2_playbook_on_task_start", "v2_runner_on_start" -> {
                currentTask = name(node.path("task"));
                emit(LogLevel.INFO, "TASK [" + currentTask + "]");
            }
            case "v2_playbook_on_handler_task_start" -> {
                currentTask = name(node.path("task"));
                emit(LogLevel.INFO, "RUNNING HANDLER [" + currentTask + "]");
            }
            case "v2_runner_on_ok" -> eachHostResult(node, (task, host, result) -> {
                String status = result.path("changed").asBoolean(false) ? "changed" : "ok";
                String message = okMessage(result);
                record(task, host, status, message);
                emit(LogLevel.INFO, status + ": [" + host + "]" + (message == null ? "" : " => " + message));
            });
            case "v2_runner_on_skipped" -> eachHostResult(node, (task, host, result) -> {
                record(task, host, "skipped", null);
                emit(LogLevel.INFO, "skipping: [" + host + "]");
            });
            case "v2_runner_on_failed" -> eachHostResult(node, (task, host, result) -> {
                String message = failureMessage(result);
                record(task, host, "failed", message);
                lastFailedTask = task;
                lastFailureMessage = message;
                emit(LogLevel.ERROR, "fatal: [" + host + "]: FAILED! => " + message);
            });
            case "v2_runner_on_unreachable" -> eachHostResult(node, (task, host, result) -> {
                String unreachableMessage = textOf(result.path("msg"));
                String message = clean(unreachableMessage == null ? "unreachable" : unreachableMessage);
                if (hostKeyProblem == null) {
                    hostKeyProblem = hostKeyProblemIn(message);
                }
                record(task, host, "unreachable", message);
                lastFailedTask = task;
                lastFailureMessage = message;
                emit(LogLevel.ERROR, "fatal: [" + host + "]: UNREACHABLE! => " + message);
            });
            case "v2_playbook_on_stats" -> onStats(node);
            default -> { } // events this runner has no use for
        }
    }

    private interface HostResult {
        void accept(String task, String host, JsonNode result);
    }

    private void eachHostResult(JsonNode node, HostResult consumer) {
        String task = name(node.path("task"));
        for (Map.Entry<String, JsonNode> entry : node.path("hosts").properties()) {
            consumer.accept(task, redactor.redact(entry.getKey()), entry.getValue());
        }
    }

    private void record(String task, String host, String status, @Nullable String message) {
        tasks.add(new TaskResult(task, host, status, message));
    }

    private void onStats(JsonNode node) {
        int ok = 0, changed = 0, failed = 0, unreachable = 0, skipped = 0, rescued = 0, ignored = 0;
        emit(LogLevel.INFO, "PLAY RECAP");
        for (Map.Entry<String, JsonNode> entry : node.path("stats").properties()) {
            JsonNode s = entry.getValue();
            Recap host = new Recap(s.path("ok").asInt(0), s.path("changed").asInt(0), s.path("failures").asInt(0),
                    s.path("unreachable").asInt(0), s.path("skipped").asInt(0), s.path("rescued").asInt(0),
                    s.path("ignored").asInt(0));
            ok += host.ok();
            changed += host.changed();
            failed += host.failed();
            unreachable += host.unreachable();
            skipped += host.skipped();
            rescued += host.rescued();
            ignored += host.ignored();
            emit(LogLevel.INFO, String.format("%-26s : ok=%d changed=%d unreachable=%d failed=%d skipped=%d rescued=%d ignored=%d",
                    entry.getKey(), host.ok(), host.changed(), host.unreachable(), host.failed(), host.skipped(),
                    host.rescued(), host.ignored()));
        }
        recap = new Recap(ok, changed, failed, unreachable, skipped, rescued, ignored);
        Map<String, Object> published = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.path("global_custom_stats").properties()) {
            Object value = plain(entry.getValue());
            if (value != null) {
                published.put(entry.getKey(), value);
            }
        }
        outputs = Map.copyOf(published);
    }

    /** JSON to plain Java values, with every string masked. */
    private @Nullable Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                Object value = plain(entry.getValue());
                if (value != null) {
                    map.put(redactor.redact(entry.getKey()), value);
                }
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.values().forEach(item -> {
                Object value = plain(item);
                if (value != null) {
                    list.add(value);
                }
            });
            return list;
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return redactor.redact(node.asString());
    }

    /** What an ok result has to say: a debug message or variable, or a module's own msg. */
    private @Nullable String okMessage(JsonNode result) {
        String msg = textOf(result.path("msg"));
        if (msg != null) {
            return msg.isBlank() ? null : clean(msg);
        }
        if (String.valueOf(textOf(result.path("action"))).endsWith("debug")) {
            Map<String, JsonNode> shown = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : result.properties()) {
                if (!RESULT_BOOKKEEPING.contains(entry.getKey()) && !entry.getKey().startsWith("_ansible")) {
                    shown.put(entry.getKey(), entry.getValue());
                }
            }
            return shown.isEmpty() ? null : clean(json.writeValueAsString(shown));
        }
        return null;
    }

    /** A failed result's msg with the stderr that explains it (commands), or the failed items of a loop. */
    private String failureMessage(JsonNode result) {
        List<String> parts = new ArrayList<>();
        String msg = textOf(result.path("msg"));
        if (msg != null) {
            parts.add(msg);
        }
        for (String stream : List.of("stderr", "module_stderr")) {
            String text = textOf(result.path(stream));
            if (text != null && !text.isBlank()) {
                parts.add(text.strip());
            }
        }
        for (JsonNode item : result.path("results").values()) {
            String itemMessage = textOf(item.path("msg"));
            if (item.path("failed").asBoolean(false) && itemMessage != null) {
                parts.add(itemMessage);
            }
        }
        if (parts.isEmpty()) {
            parts.add(result.has("rc") ? "exit status " + result.path("rc").asInt() : "failed");
        }
        return clean(String.join("\n", parts));
    }

    /** A value as text: strings as they are, anything else as JSON; {@code null} when absent. */
    private static @Nullable String textOf(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isString() ? node.asString() : node.toString();
    }

    private static @Nullable HostKeyProblem hostKeyProblemIn(String message) {
        if (message.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || message.contains("has changed and you have requested strict checking")) {
            return HostKeyProblem.CHANGED;
        }
        if (message.contains("Host key verification failed") || message.contains("host key is known for")) {
            return HostKeyProblem.NOT_PINNED;
        }
        return null;
    }

    private String name(JsonNode node) {
        String name = textOf(node.path("name"));
        return redactor.redact(name == null ? "" : name.strip());
    }

    /** Masks secrets, drops carriage returns and bounds the length of a message kept in a result. */
    private String clean(String text) {
        String cleaned = redactor.redact(text.replace("\r", "").strip());
        return cleaned.length() <= MAX_MESSAGE_CHARS ? cleaned : cleaned.substring(0, MAX_MESSAGE_CHARS) + " […]";
    }

    /** One listener line per line of text; continuation lines are indented under the first. */
    private void emit(LogLevel level, String text) {
        String[] lines = redactor.redact(text).replace("\r", "").split("\n");
        boolean first = true;
        for (String line : lines) {
            if (first || !line.isBlank()) {
                sink.line(level, first ? line : "    " + line);
            }
            first = false;
        }
    }

    public synchronized List<TaskResult> tasks() {
        return List.copyOf(tasks);
    }

    public synchronized Recap recap() {
        return recap;
    }

    public synchronized Map<String, Object> outputs() {
        return outputs;
    }

    public synchronized @Nullable String currentTask() {
        return currentTask;
    }

    public synchronized @Nullable String lastFailedTask() {
        return lastFailedTask;
    }

    public synchronized @Nullable String lastFailureMessage() {
        return lastFailureMessage;
    }

    public synchronized @Nullable HostKeyProblem hostKeyProblem() {
        return hostKeyProblem;
    }

    /** The last lines ansible wrote to stderr (already masked), which explain failures that happen before any task. */
    public synchronized List<String> stderrTail() {
        return List.copyOf(stderrTail);
    }
}
