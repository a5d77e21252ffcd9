package io.vippanel.automation.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process group of a child started through {@code setsid}, so that stopping a run stops everything it started:
 * ansible-playbook forks workers and each worker starts ssh; killing only the first process would leave those
 * running (and holding the run's key file and output pipes).
 *
 * <p>Java can signal single processes only, so the group is signalled with {@code kill -SIG -- -pgid} and its
 * members are found in {@code /proc}. Linux only, like the panel.
 */
public final class ProcessGroup {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);
    private static final Path PROC = Path.of("/proc");

    private final long id;

    private ProcessGroup(long id) {
        this.id = id;
    }

    /**
     * The group led by a process started as {@code setsid --wait <program>}. setsid(1) makes its own process the
     * group leader (it only forks when it already leads a group, which a JVM child never does; then the forked
     * child leads it), so this waits the few milliseconds until the new group exists.
     */
    public static ProcessGroup ledBy(Process process) throws InterruptedException {
        long pid = process.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (groupOf(pid).orElse(-1) == pid) {
                return new ProcessGroup(pid);
            }
            for (ProcessHandle child : process.children().toList()) {
                if (groupOf(child.pid()).orElse(-1) == child.pid()) {
                    return new ProcessGroup(child.pid());
                }
            }
            Thread.sleep(5);
        }
        // Exited before the group could be seen (e.g. setsid could not start the program): nothing is left to stop.
        return new ProcessGroup(pid);
    }

    public long id() {
        return id;
    }

    /** The group's living members (zombies are left out: they run nothing and only wait to be collected). */
    public List<Long> livingMembers() {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                String stat = readStat(pid);
                if (stat != null && groupFromStat(stat) == id && stateFromStat(stat) != 'Z') {
                    members.add(pid);
                }
            }
        } catch (IOException e) {
            log.warn("Could not list processes in /proc: {}", e.toString());
        }
        return members;
    }

    /**
     * SIGTERM to the whole group, then SIGKILL to whatever is still alive after {@code grace}, and waits (briefly)
     * until no member is left.
     */
    public void terminate(Duration grace) throws InterruptedException {
        if (livingMembers().isEmpty()) {
            return;
        }
        signal("TERM");
        if (!awaitEmpty(grace)) {
            signal("KILL");
            if (!awaitEmpty(Duration.ofSeconds(5))) {
                log.warn("Processes of group {} survived SIGKILL: {}", id, livingMembers());
            }
        }
    }

    private boolean awaitEmpty(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            if (livingMembers().isEmpty()) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return livingMembers().isEmpty();
    }

    private void signal(String signal) throws InterruptedException {
        // A wrong group id here would signal unrelated processes, the panel itself included.
        if (id <= 1 || id == groupOf(ProcessHandle.current().pid()).orElse(-1)) {
            log.error("Refusing to signal process group {}", id);
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + id).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("Could not signal process group {}: {}", id, e.toString());
        }
    }

    static OptionalLong groupOf(long pid) {
        String stat = readStat(pid);
        return stat == null ? OptionalLong.empty() : OptionalLong.of(groupFromStat(stat));
    }

    private static @Nullable String readStat(long pid) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null; // the process ended meanwhile
        }
    }

    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses, so parse after the last ')'.
    private static long groupFromStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    private static char stateFromStat(String stat) {
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
