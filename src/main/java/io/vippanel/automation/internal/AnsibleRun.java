package io.vippanel.automation.internal;

import io.vippanel.automation.LogLevel;
import io.vippanel.automation.ManagedHost;
import io.vippanel.automation.Outcome;
import io.vippanel.automation.PlaybookResult;
import io.vippanel.automation.PlaybookRun;
import io.vippanel.automation.RunListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One ansible-playbook process: writes the run folder, starts ansible-playbook in its own process group, streams
 * its events to the listener, stops it on timeout or cancellation, and sums up the result.
 *
 * <p>The connection settings are fixed here rather than in playbooks or inventory, because they are what keeps a
 * run safe: host keys checked strictly against the pinned known_hosts only, no connection sharing (a persisted
 * ControlMaster connection would be reused without a new host-key check), no ssh-agent and no user ssh config, and
 * an environment that carries none of the panel's own secrets.
 */
public final class AnsibleRun {

    private static final Logger log = LoggerFactory.getLogger(AnsibleRun.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    // ssh reads ssh_args through shlex and option values up to the first blank: keep the run folder's path plain.
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9/._+@,=-]+");
    private static final String CONTROL_SOCKET = "ssh-master";
    /** Long enough to bridge the panel-side pauses between tasks; the run closes it at its end anyway. */
    private static final Duration CONTROL_PERSIST = Duration.ofSeconds(60);
    private static final Duration CONTROL_EXIT_WAIT = Duration.ofSeconds(5);
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final PlaybookRun run;
    private final Path playbook;
    private final Path automationDir;
    private final String ansiblePlaybook;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final GuardedListener listener;
    private final AnsibleEvents events;
    private final JsonMapper json = JsonMapper.builder().build();

    public AnsibleRun(PlaybookRun run, Path playbook, Path automationDir, String ansiblePlaybook, Duration connectTimeout,
                      Duration timeout, RunListener listener) {
        this.run = run;
        this.playbook = playbook;
        this.automationDir = automationDir;
        this.ansiblePlaybook = ansiblePlaybook;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.listener = new GuardedListener(listener);
        this.events = new AnsibleEvents(new SecretRedactor(secretsOf(run)), this.listener::line);
    }

    private enum Stop { CANCELLED, TIMED_OUT }

    public PlaybookResult execute() {
        long started = System.nanoTime();
        try (RunDirectory dir = RunDirectory.create()) {
            ProcessBuilder builder = prepare(dir);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                String message = "Could not start ansible-playbook: " + e.getMessage();
                events.note(LogLevel.ERROR, message);
                return new PlaybookResult(Outcome.FAILED, -1, PlaybookResult.Recap.NONE, List.of(), null, message, Map.of());
            }
            PlaybookResult result;
            try {
                result = supervise(process);
            } finally {
                closeMasterConnection(dir.path().toAbsolutePath().resolve(CONTROL_SOCKET));
            }
            log.info("Playbook {} on {} ended {} (exit {}) after {} ms", run.playbook(), run.host().endpoint(),
                    result.outcome(), result.exitCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return result;
        } catch (IOException e) {
            String message = "Could not prepare the run: " + e.getMessage();
            events.note(LogLevel.ERROR, message);
            return new PlaybookResult(Outcome.FAILED, -1, PlaybookResult.Recap.NONE, List.of(), null, message, Map.of());
        }
    }

    private ProcessBuilder prepare(RunDirectory dir) throws IOException {
        Path root = dir.path().toAbsolutePath();
        if (!PLAIN_PATH.matcher(root.toString()).matches()) {
            throw new IOException("the temporary folder " + root + " has characters ssh options cannot carry; set java.io.tmpdir to a plain path");
        }
        ManagedHost host = run.host();
        Path key = dir.writePrivateFile("id_key", run.key().openSshPem());
        Path knownHosts = dir.writePrivateFile("known_hosts", host.knownHosts().strip() + "\n");
        Map<String, Object> hostVars = new LinkedHashMap<>();
        hostVars.put("ansible_host", host.address());
        hostVars.put("ansible_port", host.port());
        hostVars.put("ansible_user", host.user());
        hostVars.put("ansible_ssh_private_key_file", key.toString());
        Path inventory = dir.writePrivateFile("inventory.json",
                json.writeValueAsString(Map.of("all", Map.of("hosts", Map.of(host.address(), hostVars)))));
        Path vars = dir.writePrivateFile("vars.json", json.writeValueAsString(literal(run.vars())));
        Path emptyConfig = dir.writePrivateFile("ansible.cfg", "# settings come from the environment\n");

        List<String> command = List.of("setsid", "--wait", ansiblePlaybook, "-i", inventory.toString(),
                "-e", "@" + vars, playbook.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        String path = System.getenv("PATH");
        env.clear(); // the panel's environment holds its own secrets (database password, master key)
        env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path);
        env.put("HOME", root.toString());
        env.put("TMPDIR", root.toString());
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("ANSIBLE_CONFIG", emptyConfig.toString());
        env.put("ANSIBLE_STDOUT_CALLBACK", "ansible.posix.jsonl");
        env.put("ANSIBLE_SHOW_CUSTOM_STATS", "true");
        env.put("ANSIBLE_NOCOLOR", "true");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
        env.put("ANSIBLE_ROLES_PATH", automationDir.resolve("roles").toString());
        env.put("ANSIBLE_LOCAL_TEMP", root.resolve("local-tmp").toString());
        env.put("ANSIBLE_HOST_KEY_CHECKING", "true");
        env.put("ANSIBLE_PIPELINING", "true");
        env.put("ANSIBLE_TIMEOUT", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        // One master connection per run, made with the pinned host key and closed when the run ends: its socket lives in
        // this run's private folder, so no later run can reuse it (a reused connection skips the host-key check).
        env.put("ANSIBLE_SSH_CONTROL_PATH", root.resolve(CONTROL_SOCKET).toString());
        env.put("ANSIBLE_SSH_ARGS", String.join(" ",
                "-F", "/dev/null",
                "-o", "ControlMaster=auto",
                "-o", "ControlPersist=" + CONTROL_PERSIST.toSeconds() + "s",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "UpdateHostKeys=no",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes",
                "-o", "PasswordAuthentication=no",
                "-o", "KbdInteractiveAuthentication=no",
                "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4"));
        return builder;
    }

    /** Tells the run's master connection to go; an idle one would otherwise live on for {@link #CONTROL_PERSIST}. */
    private static void closeMasterConnection(Path socket) {
        if (!Files.exists(socket)) {
            return;
        }
        try {
            Process exit = new ProcessBuilder("ssh", "-F", "/dev/null", "-o", "ControlPath=" + socket, "-O", "exit", "vip-panel-run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!exit.waitFor(CONTROL_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                exit.destroyForcibly();
            }
        } catch (IOException e) {
            log.debug("Could not close the master connection at {}: {}", socket, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PlaybookResult supervise(Process process) {
        Thread stdout = LinePump.start(process.getInputStream(), events::stdout, "ansible-stdout-" + process.pid());
        Thread stderr = LinePump.start(process.getErrorStream(), events::stderr, "ansible-stderr-" + process.pid());
        @Nullable Stop stop = null;
        @Nullable ProcessGroup group = null;
        try {
            group = ProcessGroup.ledBy(process);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (listener.cancelled()) {
                    stop = Stop.CANCELLED;
                    events.note(LogLevel.WARN, "Cancelled: stopping ansible-playbook.");
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    stop = Stop.TIMED_OUT;
                    events.note(LogLevel.ERROR, "Timed out after " + describe(timeout) + ": stopping ansible-playbook.");
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = Stop.CANCELLED;
            events.note(LogLevel.WARN, "Interrupted: stopping ansible-playbook.");
        }
        int exitCode = stopEverything(process, group);
        LinePump.await(stdout, Duration.ofSeconds(10));
        LinePump.await(stderr, Duration.ofSeconds(10));
        return result(exitCode, stop);
    }

    /** Stops the whole process group (also on a normal exit, for anything it left behind) and returns the exit status. */
    private int stopEverything(Process process, @Nullable ProcessGroup group) {
        boolean interrupted = Thread.interrupted();
        try {
            if (group != null) {
                group.terminate(STOP_GRACE);
            }
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    private PlaybookResult result(int exitCode, @Nullable Stop stop) {
        PlaybookResult.Recap recap = events.recap();
        @Nullable HostKeyProblem hostKey = events.hostKeyProblem();
        Outcome outcome;
        @Nullable String failedTask = events.lastFailedTask();
        @Nullable String message = events.lastFailureMessage();
        if (stop == Stop.CANCELLED) {
            outcome = Outcome.CANCELLED;
            failedTask = events.currentTask();
            message = "Cancelled" + (failedTask == null ? "." : " during task \"" + failedTask + "\".");
        } else if (stop == Stop.TIMED_OUT) {
            outcome = Outcome.TIMED_OUT;
            failedTask = events.currentTask();
            message = "Did not finish within " + describe(timeout) + (failedTask == null ? "." : "; stopped during task \"" + failedTask + "\".");
        } else if (hostKey != null) {
            outcome = Outcome.HOST_KEY_MISMATCH;
            message = hostKey == HostKeyProblem.CHANGED ? run.host().hostKeyChangedMessage() : run.host().hostKeyNotPinnedMessage();
        } else if (exitCode == 0 && recap.failed() == 0 && recap.unreachable() == 0) {
            outcome = Outcome.SUCCEEDED;
            failedTask = null;
            message = null;
        } else if (recap.unreachable() > 0 || exitCode == 4) {
            outcome = Outcome.UNREACHABLE;
        } else {
            outcome = Outcome.FAILED;
            if (message == null) {
                List<String> stderr = events.stderrTail();
                message = stderr.isEmpty() ? "ansible-playbook exited with status " + exitCode : String.join("\n", stderr);
            }
        }
        return new PlaybookResult(outcome, exitCode, recap, events.tasks(), failedTask, message, events.outputs());
    }

    /**
     * Wraps every string in ansible's {@code __ansible_unsafe} marker: ansible's JSON loader then keeps it a literal
     * value, so "{{" in a password is not evaluated as a template (and cannot read other variables or files).
     */
    private static @Nullable Object literal(@Nullable Object value) {
        if (value instanceof CharSequence text) {
            return Map.of("__ansible_unsafe", text.toString());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), literal(v)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<@Nullable Object> copy = new ArrayList<>();
            items.forEach(item -> copy.add(literal(item)));
            return copy;
        }
        if (value instanceof Enum<?> constant) {
            return Map.of("__ansible_unsafe", constant.name());
        }
        return value;
    }

    /** The values to mask: every scalar inside the secret variables, and the key itself. */
    private static List<String> secretsOf(PlaybookRun run) {
        List<String> secrets = new ArrayList<>();
        for (String name : run.secretVars()) {
            collectScalars(run.vars().get(name), secrets);
        }
        secrets.add(run.key().openSshPem());
        return secrets;
    }

    private static void collectScalars(@Nullable Object value, List<String> into) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectScalars(v, into));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> collectScalars(item, into));
        } else if (value != null) {
            into.add(String.valueOf(value));
        }
    }

    private static String describe(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
