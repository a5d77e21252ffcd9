package io.vippanel.automation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A listener for tests that keeps every line and, each time the runner polls it (about every 200 ms), looks at the
 * running ansible-playbook from outside through /proc: its process group, every member's command line and
 * environment, and the run folder with its permissions. It can also ask the runner to cancel.
 */
final class RunWatcher implements RunListener {

    record Line(LogLevel level, String text, long nanos) {
    }

    /** What /proc showed of one process of the run's group. */
    record Member(long pid, List<String> commandLine, String environment) {
    }

    private final String playbookPath;
    private final Predicate<RunWatcher> cancelWhen;
    final List<Line> lines = new CopyOnWriteArrayList<>();
    volatile long groupId = -1;
    volatile Path runFolder;
    final Map<Long, Member> members = new LinkedHashMap<>();
    final Map<String, Set<PosixFilePermission>> permissionsSeen = new LinkedHashMap<>();

    RunWatcher(Path automationDir, String playbook, Predicate<RunWatcher> cancelWhen) {
        this.playbookPath = automationDir.resolve("playbooks").resolve(playbook).toAbsolutePath().toString();
        this.cancelWhen = cancelWhen;
    }

    RunWatcher(Path automationDir, String playbook) {
        this(automationDir, playbook, watcher -> false);
    }

    @Override
    public void line(LogLevel level, String text) {
        lines.add(new Line(level, text, System.nanoTime()));
    }

    @Override
    public boolean cancelled() {
        sample();
        return cancelWhen.test(this);
    }

    String text() {
        return lines.stream().map(line -> line.level() + " " + line.text()).collect(Collectors.joining("\n"));
    }

    boolean saw(String prefix) {
        return lines.stream().anyMatch(line -> line.text().startsWith(prefix));
    }

    long nanosSince(String prefix) {
        return lines.stream().filter(line -> line.text().startsWith(prefix)).findFirst()
                .map(line -> System.nanoTime() - line.nanos()).orElse(-1L);
    }

    boolean sawMemberRunning(String program) {
        synchronized (members) {
            return members.values().stream().anyMatch(member -> !member.commandLine().isEmpty()
                    && Path.of(member.commandLine().getFirst()).getFileName().toString().equals(program));
        }
    }

    private void sample() {
        for (long pid : pids()) {
            List<String> commandLine = commandLine(pid);
            if (groupId < 0 && commandLine.contains(playbookPath) && groupOf(pid) == pid) {
                groupId = pid;
                int inventory = commandLine.indexOf("-i");
                runFolder = Path.of(commandLine.get(inventory + 1)).getParent();
            }
        }
        if (groupId < 0) {
            return;
        }
        for (long pid : pids()) {
            if (groupOf(pid) == groupId) {
                synchronized (members) {
                    members.put(pid, new Member(pid, commandLine(pid), read(Path.of("/proc", Long.toString(pid), "environ"))));
                }
            }
        }
        try {
            permissionsSeen.put("folder", Files.getPosixFilePermissions(runFolder));
            permissionsSeen.put("id_key", Files.getPosixFilePermissions(runFolder.resolve("id_key")));
        } catch (IOException gone) {
            // the run is ending
        }
    }

    /** Living (non-zombie) processes of a process group, read from /proc. */
    static List<Long> livingMembersOf(long group) {
        List<Long> living = new ArrayList<>();
        for (long pid : pids()) {
            String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
            if (!stat.isEmpty() && groupOf(pid) == group && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z') {
                living.add(pid);
            }
        }
        return living;
    }

    static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            entries.forEach(entry -> pids.add(Long.parseLong(entry.getFileName().toString())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    static long groupOf(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat.isEmpty()) {
            return -1;
        }
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    static List<String> commandLine(long pid) {
        String raw = read(Path.of("/proc", Long.toString(pid), "cmdline"));
        return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
