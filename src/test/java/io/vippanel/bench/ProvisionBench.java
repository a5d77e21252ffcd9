package io.vippanel.bench;

import io.vippanel.VipPanel;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.NewServer;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.Servers;
import io.vippanel.support.Fixture;
import io.vippanel.support.TestDatabase;
import io.vippanel.support.TestManagedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Time from "create" to {@code ready} for a custom server, split by step (SSH reachable and the panel's key
 * installed, the provisioning playbook, the checks from the panel), on fresh test hosts in network namespaces
 * on this machine. Each run is a new host; one extra run at the start warms the JVM and is not counted.
 * See bench/README.md.
 */
public final class ProvisionBench {

    private static final List<String> STEPS = List.of("sshReachableMillis", "playbookMillis", "checksMillis", "totalMillis");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String database = TestDatabase.create("bench_provision");
        Path dataDir = Files.createTempDirectory("vip-bench-provision");
        ConfigurableApplicationContext panel = new SpringApplicationBuilder(VipPanel.class).web(WebApplicationType.NONE).run(
                "--vip.database.url=" + database, "--vip.database.user=postgres", "--vip.database.password=",
                "--vip.role=all", "--vip.database.pool-size=8", "--vip.data-dir=" + dataDir, "--logging.level.root=warn",
                "--vip.servers.php-vendor-repo=false", "--vip.servers.nodejs-from-distro=true",
                "--vip.servers.ssh-wait-interval=250ms", "--vip.jobs.polling-interval=250ms");
        int exit = 0;
        try {
            Fixture fixture = Fixture.create(panel);
            JobWatch watch = new JobWatch(panel, fixture.superadmin, Duration.ofMinutes(10));
            Servers servers = panel.getBean(Servers.class);
            System.out.printf("machine: %d cores, java %s; %d measured run(s) after one warm-up%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), runs);
            System.out.println("stack: nginx, PHP 8.2 (FPM), MariaDB, Redis, Node.js, node_exporter, ufw, fail2ban on Debian 12 (test host)");
            Map<String, List<Long>> figures = new LinkedHashMap<>();
            STEPS.forEach(step -> figures.put(step, new ArrayList<>()));
            figures.put("wallMillis", new ArrayList<>());
            for (int run = 0; run <= runs; run++) {
                try (TestManagedServer host = TestManagedServer.start()) {
                    long started = System.nanoTime();
                    int number = run;
                    Server server = Fixture.as(fixture.client1User, () -> servers.create(fixture.client1User, new NewServer("custom",
                            "bench-" + number, null, null, "DEBIAN_12", null, "nginx", List.of("8.2"), "8.2", "mariadb", true, true,
                            host.address(), Integer.toString(host.port()), "root", "password", host.rootPassword(), null)));
                    Job job = watch.awaitFinal(java.util.Objects.requireNonNull(server.lastJobId()));
                    long wall = (System.nanoTime() - started) / 1_000_000;
                    Server done = Fixture.as(fixture.client1User, () -> servers.get(fixture.client1User, server.id()));
                    if (job.status() != JobStatus.SUCCEEDED || done.status() != ServerStatus.READY) {
                        throw new IllegalStateException("run " + run + " ended " + job.status() + ": " + job.summary() + "\n"
                                + String.join("\n", watch.lines(job.id())));
                    }
                    String label = run == 0 ? "warm-up" : "run " + run;
                    StringBuilder line = new StringBuilder(label + ":");
                    for (String step : STEPS) {
                        long millis = job.result().path("timings").path(step).asLong();
                        line.append(String.format(" %s=%.1fs", step.replace("Millis", ""), millis / 1000.0));
                        if (run > 0) {
                            figures.get(step).add(millis);
                        }
                    }
                    line.append(String.format(" wall=%.1fs (create call to ready, incl. queue pick-up)", wall / 1000.0));
                    if (run > 0) {
                        figures.get("wallMillis").add(wall);
                    }
                    System.out.println(line);
                }
            }
            System.out.println();
            System.out.printf("%-14s %8s %8s %8s %8s%n", "step", "p50", "p95", "p99", "max");
            figures.forEach((step, values) -> System.out.printf("%-14s %7.1fs %7.1fs %7.1fs %7.1fs%n", step.replace("Millis", ""),
                    percentile(values, 50) / 1000.0, percentile(values, 95) / 1000.0, percentile(values, 99) / 1000.0,
                    percentile(values, 100) / 1000.0));
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("panel heap in use at the end: %d MiB%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            panel.close();
        }
        System.exit(exit);
    }

    /** Nearest-rank percentile; the few runs make p95 and p99 the slowest run, which is what they honestly are. */
    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
