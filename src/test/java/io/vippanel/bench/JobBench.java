package io.vippanel.bench;

import io.vippanel.VipPanel;
import io.vippanel.jobs.Jobs;
import io.vippanel.jobs.NewJob;
import io.vippanel.jobs.internal.WorkerCheckJob;
import io.vippanel.support.TestDatabase;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.tenancy.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Job pick-up latency and no-op throughput, with the workers running from the release jar exactly as
 * {@code vip-panel serve --role=worker} with default settings. Jobs are queued through the panel's own
 * {@link Jobs} service (one transaction per job, as a feature would). See bench/README.md.
 */
public final class JobBench {

    private static final Pattern STARTED = Pattern.compile("job worker (\\S+) started");

    private final Path jar;
    private final String database = TestDatabase.create("bench_jobs");
    private final List<Process> workers = new ArrayList<>();
    private final Path dataDir = Files.createTempDirectory("vip-bench-jobs");
    private ConfigurableApplicationContext api;
    private Jobs jobs;
    private SystemTransactions system;
    private String platformId;

    private JobBench(Path jar) throws IOException {
        this.jar = jar;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/vip-panel.jar");
        JobBench bench = new JobBench(jar);
        try {
            bench.run();
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        api = new SpringApplicationBuilder(VipPanel.class).web(WebApplicationType.NONE).run(
                "--vip.database.url=" + database, "--vip.database.user=postgres", "--vip.database.password=",
                "--vip.role=api", "--vip.database.pool-size=8", "--vip.data-dir=" + dataDir, "--logging.level.root=warn");
        jobs = api.getBean(Jobs.class);
        system = api.getBean(SystemTransactions.class);
        platformId = system.call(() -> api.getBean(Tenants.class).platform()).id();
        System.out.printf("machine: %d cores, java %s; workers: %s (default settings)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), jar);

        System.out.println("\n== pick-up latency, one worker, 1,000 other jobs waiting in the queue (due in a day) ==");
        park(1_000);
        startWorkers(1);
        enqueue(50, 0);
        awaitAllFinished();
        Instant since = Instant.now();
        enqueue(500, 20);
        awaitAllFinished();
        report("steady (one job every 20 ms)", since);
        memory();

        System.out.println("\n== pick-up latency, one worker, a burst of 1,000 jobs queued at once ==");
        since = Instant.now();
        enqueue(1_000, 0);
        awaitAllFinished();
        report("burst of 1,000", since);
        memory();
        stopWorkers();

        for (int count : List.of(1, 2)) {
            System.out.printf("%n== no-op throughput, %d worker(s), 3,000 jobs queued before the workers start ==%n", count);
            enqueue(3_000, 0);
            since = Instant.now();
            startWorkers(count);
            awaitAllFinished();
            throughput(count, since);
            memory();
            stopWorkers();
        }
    }

    /** Jobs that sit in the queue, due tomorrow: the table a worker polls is not empty. */
    private void park(int count) throws Exception {
        enqueue(count, 0);
        sql("UPDATE scheduled_tasks SET execution_time = now() + interval '1 day'");
        sql("UPDATE jobs SET title = 'parked' WHERE status = 'queued'");
    }

    private void enqueue(int count, long pauseMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(pauseMillis > 0 ? 1 : 4);
        List<Future<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(pool.submit(() -> system.call(() -> jobs.enqueue(NewJob.of(platformId, WorkerCheckJob.NAME, "bench", null)))));
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
        for (Future<?> future : pending) {
            future.get();
        }
        pool.shutdown();
    }

    private void awaitAllFinished() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (scalar("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND title = 'bench'") > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("jobs did not finish in 10 minutes");
            }
            Thread.sleep(100);
        }
        long failed = scalar("SELECT count(*) FROM jobs WHERE status <> 'succeeded' AND title = 'bench'");
        if (failed > 0) {
            throw new IllegalStateException(failed + " bench job(s) did not succeed");
        }
    }

    private void report(String label, Instant since) throws SQLException {
        try (Connection connection = TestDatabase.superuser(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT count(*),
                            percentile_cont(0.50) WITHIN GROUP (ORDER BY ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),
                            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
                       FROM (SELECT extract(epoch FROM started_at - queued_at) * 1000 AS ms FROM jobs
                              WHERE title = 'bench' AND queued_at >= '%s') picked
                     """.formatted(since))) {
            rs.next();
            System.out.printf(Locale.ROOT, "%-32s jobs=%d  pick-up p50=%.0f ms  p95=%.0f ms  p99=%.0f ms  max=%.0f ms%n",
                    label, rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5));
        }
    }

    private void throughput(int workerCount, Instant since) throws SQLException {
        try (Connection connection = TestDatabase.superuser(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT count(*), extract(epoch FROM max(finished_at) - min(started_at)), count(DISTINCT worker)
                       FROM jobs WHERE title = 'bench' AND started_at >= '%s'
                     """.formatted(since))) {
            rs.next();
            long count = rs.getLong(1);
            double seconds = rs.getDouble(2);
            System.out.printf(Locale.ROOT, "%d worker(s): %d jobs in %.2f s = %.0f jobs/s (jobs ran on %d worker(s))%n",
                    workerCount, count, seconds, count / seconds, rs.getLong(3));
        }
    }

    private void memory() throws IOException {
        for (Process worker : workers) {
            String status = Files.readString(Path.of("/proc/" + worker.pid() + "/status"));
            System.out.printf("worker pid %d: %s, %s%n", worker.pid(), field(status, "VmRSS"), field(status, "VmHWM"));
        }
    }

    private static String field(String status, String name) {
        return status.lines().filter(line -> line.startsWith(name + ":")).findFirst().orElse(name + ": N/A").replaceAll("\\s+", " ");
    }

    private void startWorkers(int count) throws Exception {
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path output = Files.createTempFile(dataDir, "worker", ".log");
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-jar", jar.toString(), "serve", "--role=worker").redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("VIP_DATABASE_URL", database);
            builder.environment().put("VIP_DATABASE_USER", "postgres");
            builder.environment().put("VIP_DATA_DIR", dataDir.resolve("worker-" + i).toString());
            workers.add(builder.start());
            outputs.add(output);
        }
        for (Path output : outputs) {
            Instant deadline = Instant.now().plusSeconds(120);
            Matcher started;
            while (!(started = STARTED.matcher(Files.readString(output))).find()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("a worker did not start:\n" + Files.readString(output));
                }
                Thread.sleep(100);
            }
        }
    }

    private void stopWorkers() throws InterruptedException {
        for (Process worker : workers) {
            worker.destroy();
            worker.waitFor();
        }
        workers.clear();
    }

    private long scalar(String query) throws SQLException {
        try (Connection connection = TestDatabase.superuser(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statementText) throws SQLException {
        try (Connection connection = TestDatabase.superuser(database); Statement statement = connection.createStatement()) {
            statement.execute(statementText);
        }
    }

    private void stop() throws InterruptedException {
        stopWorkers();
        if (api != null) {
            api.close();
        }
    }
}
