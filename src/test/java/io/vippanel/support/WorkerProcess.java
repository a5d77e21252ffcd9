package io.vippanel.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vip-panel serve --role=worker} in a separate JVM (on the test classpath, so test job types exist
 * there too), for tests that must kill a worker the hard way.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("job worker (\\S+) started");

    private final Process process;
    private final Path output;
    private final String workerName;

    private WorkerProcess(Process process, Path output, String workerName) {
        this.process = process;
        this.output = output;
        this.workerName = workerName;
    }

    /** Starts a worker with the given {@code vip.*} settings and waits until it is taking jobs. */
    public static WorkerProcess start(Map<String, String> settings, Duration startupTimeout) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vippanel.VipPanel", "serve", "--role=worker"));
        Path output = Files.createTempFile("vip-worker", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Instant deadline = Instant.now().plus(startupTimeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher started = STARTED.matcher(Files.readString(output));
            if (started.find()) {
                return new WorkerProcess(process, output, started.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + ":\n" + Files.readString(output));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the worker did not start in " + startupTimeout + ":\n" + Files.readString(output));
    }

    /** The name the worker records on the jobs it runs ({@code host/pid/n}). */
    public String workerName() {
        return workerName;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the database; its claimed jobs stay marked as picked. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        Files.deleteIfExists(output);
    }
}
