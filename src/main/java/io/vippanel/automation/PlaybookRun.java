package io.vippanel.automation;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One run of a playbook against one managed server.
 *
 * <p>Variable values are passed to ansible literally (never evaluated as templates), so a password containing
 * {@code {{} is just a password. Variables named {@code ansible_*} are refused: as extra-vars they would override
 * the connection settings the runner enforces, such as host-key checking. Every name in {@code secretVars} must be a
 * variable of this run, so that a typo cannot leave a secret unmasked.
 *
 * @param playbook   file name under {@code automation/playbooks}, e.g. {@code check-connection.yml}
 * @param host       the server, with its pinned host keys
 * @param key        the private key to log in with
 * @param vars       extra variables for the playbook (strings, numbers, booleans, lists and maps of them)
 * @param secretVars names of variables whose values must never appear in output or results
 * @param timeout    how long the run may take; {@code null} for {@code vip.automation.default-timeout}
 */
public record PlaybookRun(String playbook, ManagedHost host, SshKey key, Map<String, @Nullable Object> vars,
                          Set<String> secretVars, @Nullable Duration timeout) {

    private static final Pattern PLAYBOOK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.ya?ml");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public PlaybookRun {
        if (playbook == null || !PLAYBOOK.matcher(playbook).matches()) {
            throw new IllegalArgumentException("Not a playbook file name: " + playbook);
        }
        if (host == null || key == null) {
            throw new IllegalArgumentException("A playbook run needs a host and a key.");
        }
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
        for (String name : vars.keySet()) {
            if (!VARIABLE.matcher(name).matches() || name.startsWith("ansible_")) {
                throw new IllegalArgumentException("Not an allowed playbook variable name: " + name);
            }
        }
        secretVars = Set.copyOf(secretVars == null ? Set.of() : secretVars);
        for (String name : secretVars) {
            if (!vars.containsKey(name)) {
                throw new IllegalArgumentException("Secret variable " + name + " is not among the run's variables.");
            }
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("A run's timeout must be positive: " + timeout);
        }
    }

    /** Names only: the values may be secrets. */
    @Override
    public String toString() {
        return "PlaybookRun[" + playbook + " on " + host.endpoint() + ", vars=" + vars.keySet() + ", secretVars="
                + secretVars + ", timeout=" + timeout + "]";
    }

    /** A run without secret variables that uses the default timeout. */
    public static PlaybookRun of(String playbook, ManagedHost host, SshKey key, Map<String, @Nullable Object> vars) {
        return new PlaybookRun(playbook, host, key, vars, Set.of(), null);
    }
}
