package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.PlaybookResult.Recap;
import io.vippanel.automation.PlaybookResult.TaskResult;
import io.vippanel.automation.internal.AnsibleEvents;
import io.vippanel.automation.internal.HostKeyProblem;
import io.vippanel.automation.internal.SecretRedactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rendering of ansible.posix.jsonl events for shapes the end-to-end tests do not produce on purpose: loop failures,
 * structured messages, handlers, skipped tasks, published stats, ansible's own errors.
 */
class AutomationAnsibleEventsTests {

    private final List<String> lines = new ArrayList<>();
    private final AnsibleEvents events = new AnsibleEvents(new SecretRedactor(List.of("tops3cret")),
            (level, text) -> lines.add(level + " " + text));

    @Test
    void rendersTasksResultsAndTheRecapFromEvents() {
        events.stdout("{\"_event\":\"v2_playbook_on_play_start\",\"play\":{\"name\":\"Site\"}}");
        events.stdout("{\"_event\":\"v2_playbook_on_task_start\",\"task\":{\"name\":\"Install packages\"},\"hosts\":{}}");
        events.stdout("{\"_event\":\"v2_runner_on_failed\",\"task\":{\"name\":\"Install packages\"},\"hosts\":{\"web1\":"
                + "{\"failed\":true,\"msg\":\"One or more items failed\",\"results\":[{\"failed\":false},"
                + "{\"failed\":true,\"msg\":{\"reason\":\"no candidate for tops3cret\"}}]}}}");
        events.stdout("{\"_event\":\"v2_playbook_on_handler_task_start\",\"task\":{\"name\":\"Reload nginx\"},\"hosts\":{}}");
        events.stdout("{\"_event\":\"v2_runner_on_skipped\",\"task\":{\"name\":\"Reload nginx\"},\"hosts\":{\"web1\":{\"skipped\":true}}}");
        events.stdout("not json at all");
        events.stderr("[WARNING]: something odd");
        events.stderr("ERROR! a problem");
        events.stdout("{\"_event\":\"v2_playbook_on_stats\",\"stats\":{\"web1\":{\"ok\":3,\"changed\":1,\"failures\":1,"
                + "\"unreachable\":0,\"skipped\":1,\"rescued\":0,\"ignored\":0}},"
                + "\"global_custom_stats\":{\"php\":\"8.3\",\"workers\":4,\"token\":\"tops3cret\",\"gone\":null}}");

        assertThat(lines).containsExactly(
                "INFO PLAY [Site]",
                "INFO TASK [Install packages]",
                "ERROR fatal: [web1]: FAILED! => One or more items failed",
                "ERROR     {\"reason\":\"no candidate for ********\"}",
                "INFO RUNNING HANDLER [Reload nginx]",
                "INFO skipping: [web1]",
                "INFO not json at all",
                "WARN [WARNING]: something odd",
                "ERROR ERROR! a problem",
                "INFO PLAY RECAP",
                "INFO web1                       : ok=3 changed=1 unreachable=0 failed=1 skipped=1 rescued=0 ignored=0");
        assertThat(events.recap()).isEqualTo(new Recap(3, 1, 1, 0, 1, 0, 0));
        assertThat(events.tasks()).containsExactly(
                new TaskResult("Install packages", "web1", "failed", "One or more items failed\n{\"reason\":\"no candidate for ********\"}"),
                new TaskResult("Reload nginx", "web1", "skipped", null));
        assertThat(events.lastFailedTask()).isEqualTo("Install packages");
        assertThat(events.outputs()).isEqualTo(Map.of("php", "8.3", "workers", 4L, "token", "********"));
        assertThat(events.stderrTail()).containsExactly("[WARNING]: something odd", "ERROR! a problem");
    }

    @Test
    void tellsAChangedHostKeyFromOneThatIsNotPinned() {
        events.stdout("{\"_event\":\"v2_runner_on_unreachable\",\"task\":{\"name\":\"Ping\"},\"hosts\":{\"h\":{\"unreachable\":true,"
                + "\"msg\":\"No ED25519 host key is known for [h]:22 and you have requested strict checking.\\r\\nHost key verification failed.\\r\\n\"}}}");

        assertThat(events.hostKeyProblem()).isEqualTo(HostKeyProblem.NOT_PINNED);
        assertThat(events.lastFailureMessage()).isEqualTo(
                "No ED25519 host key is known for [h]:22 and you have requested strict checking.\nHost key verification failed.");
        assertThat(lines).containsExactly(
                "ERROR fatal: [h]: UNREACHABLE! => No ED25519 host key is known for [h]:22 and you have requested strict checking.",
                "ERROR     Host key verification failed.");
    }
}
