package io.vippanel.automation;

import io.vippanel.automation.internal.AnsibleRun;
import io.vippanel.automation.internal.AutomationFiles;
import io.vippanel.platform.VipProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs playbooks from {@code automation/playbooks} against managed servers with {@code ansible-playbook}.
 *
 * <p>Each run gets a private folder (0700) with the key (0600), the pinned known_hosts, a generated inventory and
 * the variables as a JSON file, all removed when the run ends. ansible-playbook runs in its own process group so
 * that a timeout or cancellation stops every process it started. Output is streamed line by line to the
 * listener with secrets masked; the result is built from ansible's JSON events. {@link #run} blocks until the run
 * is over, so call it from a background job, never from a web request.
 */
@Component
public class PlaybookRunner {

    private final AutomationFiles files;
    private final String ansiblePlaybook;
    private final Duration defaultTimeout;
    private final Duration connectTimeout;

    @Autowired
    public PlaybookRunner(VipProperties properties) {
        this(AutomationFiles.configured(Path.of(properties.automation().dir()), Path.of(properties.dataDir())),
                properties.automation().ansiblePlaybook(), properties.automation().defaultTimeout(),
                properties.automation().connectTimeout());
    }

    /** A runner for exactly this automation folder (tests and tools; nothing is extracted). */
    public PlaybookRunner(Path automationDir, String ansiblePlaybook, Duration defaultTimeout, Duration connectTimeout) {
        this(AutomationFiles.at(automationDir), ansiblePlaybook, defaultTimeout, connectTimeout);
    }

    private PlaybookRunner(AutomationFiles files, String ansiblePlaybook, Duration defaultTimeout, Duration connectTimeout) {
        this.files = files;
        this.ansiblePlaybook = ansiblePlaybook;
        this.defaultTimeout = defaultTimeout;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Runs the playbook and waits for it to end. Failures on the server come back as the result's outcome, never
     * as exceptions.
     *
     * @throws IllegalArgumentException if the playbook does not exist
     */
    public PlaybookResult run(PlaybookRun run, RunListener listener) {
        Path playbook = files.playbook(run.playbook());
        Duration timeout = run.timeout() != null ? run.timeout() : defaultTimeout;
        return new AnsibleRun(run, playbook, files.directory(), ansiblePlaybook, connectTimeout, timeout, listener).execute();
    }

    /** The folder playbooks are read from (extracting the bundled copy if need be). */
    public Path automationDirectory() {
        return files.directory();
    }
}
