package io.vippanel.bench;

import io.vippanel.VipPanel;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.NewServer;
import io.vippanel.servers.Server;
import io.vippanel.servers.Servers;
import io.vippanel.sites.Deployment;
import io.vippanel.sites.DeploymentStatus;
import io.vippanel.sites.Deployments;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.SiteCreated;
import io.vippanel.sites.SiteSettings;
import io.vippanel.sites.ReadyServer;
import io.vippanel.sites.Sites;
import io.vippanel.support.Fixture;
import io.vippanel.support.TestDatabase;
import io.vippanel.support.TestManagedServer;
import io.vippanel.tenancy.Actor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sites on one freshly provisioned test host: time from "create site" to "the site answers with its code", split
 * into the creation job (user, pool, vhost) and the first deployment; time of a redeploy to a new commit, split by
 * deploy step; and the requests per second the host's nginx serves for the deployed static and PHP pages. Each kind
 * of site is created {@code runs} times after one warm-up. See bench/README.md.
 */
public final class SiteBench {

    static {
        // Sites are reached by name on the host's address, as nginx tells them apart: the Host header must be ours.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Duration load = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 15);
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        String database = TestDatabase.create("bench_sites");
        Path dataDir = Files.createTempDirectory("vip-bench-sites");
        ConfigurableApplicationContext panel = new SpringApplicationBuilder(VipPanel.class).web(WebApplicationType.NONE).run(
                "--vip.database.url=" + database, "--vip.database.user=postgres", "--vip.database.password=",
                "--vip.role=all", "--vip.database.pool-size=8", "--vip.data-dir=" + dataDir, "--logging.level.root=warn",
                "--vip.servers.php-vendor-repo=false", "--vip.servers.nodejs-from-distro=true",
                "--vip.servers.ssh-wait-interval=250ms", "--vip.jobs.polling-interval=250ms",
                "--vip.sites.allow-local-repositories=true");
        int exit = 0;
        try (TestManagedServer host = TestManagedServer.start()) {
            Fixture fixture = Fixture.create(panel);
            Actor owner = fixture.client1User;
            JobWatch watch = new JobWatch(panel, fixture.superadmin, Duration.ofMinutes(10));
            String php = phpVersion();
            Servers servers = panel.getBean(Servers.class);
            Server server = Fixture.as(owner, () -> servers.create(owner, new NewServer("custom", "bench-sites", null, null,
                    "DEBIAN_12", null, "nginx", List.of(php), php, "mariadb", false, false, host.address(),
                    Integer.toString(host.port()), "root", "password", host.rootPassword(), null)));
            succeeded(watch, Objects.requireNonNull(server.lastJobId()));
            System.out.printf("machine: %d cores, java %s; test host %s with nginx and PHP %s (FPM); %d measured run(s) per"
                    + " kind after one warm-up%n", Runtime.getRuntime().availableProcessors(), Runtime.version(), host.address(), php, runs);
            makeRepositories(host);

            Sites sites = panel.getBean(Sites.class);
            Deployments deployments = panel.getBean(Deployments.class);
            Map<String, List<Long>> figures = new LinkedHashMap<>();
            Map<String, String> lastDomain = new LinkedHashMap<>();
            Map<String, String> stepCommands = new LinkedHashMap<>();
            for (String kind : List.of("static", "php")) {
                for (int run = 0; run <= runs; run++) {
                    String domain = kind + "-" + run + ".bench.test";
                    String repository = "file:///srv/repos/" + kind + ".git";
                    long started = System.nanoTime();
                    SiteCreated created = Fixture.as(owner, () -> sites.create(owner, new NewSite(server.id(), kind, domain,
                            null, false, null, "php".equals(kind) ? php : null, repository, "one", null, null, 3, null)));
                    Job creation = succeeded(watch, created.jobId());
                    String firstJob = creation.result().path("deploymentJob").asString();
                    Job first = succeeded(watch, firstJob);
                    awaitContent(host, domain, "release one");
                    long answered = (System.nanoTime() - started) / 1_000_000;

                    // A redeploy to the branch's next commit: switch the site to branch "two" and deploy.
                    Fixture.as(owner, () -> sites.update(owner, created.site().id(), new SiteSettings(
                            null, null, null, null, null, "two", null, null, null, null, null)));
                    awaitIdle(watch, owner, sites, created.site().id());
                    long redeployStarted = System.nanoTime();
                    Deployment redeploy = Fixture.as(owner, () -> deployments.deploy(owner, created.site().id()));
                    Job redeployJob = succeeded(watch, Objects.requireNonNull(redeploy.jobId()));
                    awaitContent(host, domain, "release two");
                    long redeployed = (System.nanoTime() - redeployStarted) / 1_000_000;
                    Deployment done = Fixture.as(owner, () -> deployments.get(owner, created.site().id(), redeploy.id()));
                    if (done.status() != DeploymentStatus.SUCCEEDED) {
                        throw new IllegalStateException("redeploy of " + domain + " ended " + done.status());
                    }
                    Map<String, Long> line = new LinkedHashMap<>();
                    line.put(kind + ".createJob", millis(creation));
                    line.put(kind + ".firstDeployJob", millis(first));
                    line.put(kind + ".createToAnswers", answered);
                    line.put(kind + ".redeployJob", millis(redeployJob));
                    // Deploy script steps by number; the commands are printed once, below the table.
                    for (int number = 1; number <= done.steps().size(); number++) {
                        Deployment.Step step = done.steps().get(number - 1);
                        line.put(kind + ".redeploy.step" + number, step.millis());
                        stepCommands.put(kind + ".redeploy.step" + number, step.name());
                    }
                    line.put(kind + ".redeployToNewContent", redeployed);
                    StringBuilder printed = new StringBuilder(run == 0 ? "warm-up" : "run " + run).append(' ').append(kind).append(':');
                    line.forEach((step, millis) -> printed.append(String.format(" %s=%.2fs", step.substring(kind.length() + 1), millis / 1000.0)));
                    System.out.println(printed);
                    if (run > 0) {
                        line.forEach((step, millis) -> figures.computeIfAbsent(step, key -> new ArrayList<>()).add(millis));
                    }
                    lastDomain.put(kind, domain);
                }
            }
            System.out.println();
            System.out.printf("%-40s %8s %8s %8s %8s%n", "step", "p50", "p95", "p99", "max");
            figures.forEach((step, values) -> System.out.printf("%-40s %7.2fs %7.2fs %7.2fs %7.2fs%n", step,
                    percentile(values, 50) / 1000.0, percentile(values, 95) / 1000.0, percentile(values, 99) / 1000.0,
                    percentile(values, 100) / 1000.0));
            stepCommands.forEach((step, command) -> System.out.printf("%s: %s%n", step, command));
            System.out.println();
            System.out.printf("nginx on the test host, %d connections for %ds each (HTTP/1.1 keep-alive from this machine):%n",
                    connections, load.toSeconds());
            for (Map.Entry<String, String> site : lastDomain.entrySet()) {
                throughput(host, site.getKey(), site.getValue(), connections, load);
            }
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            panel.close();
        }
        System.exit(exit);
    }

    /** Two branches per repository: "one" says release one, "two" says release two. */
    private static void makeRepositories(TestManagedServer host) {
        TestManagedServer.ExecResult result = host.exec("""
                set -e
                rm -rf /srv/repos /tmp/bench-work && mkdir -p /srv/repos
                for kind in static php; do
                  git init -q --bare -b one /srv/repos/$kind.git
                  git init -q -b one /tmp/bench-work/$kind && cd /tmp/bench-work/$kind
                  git config user.email bench@example.test && git config user.name Bench
                  if [ $kind = static ]; then page=index.html; echo '<h1>release one</h1>' > $page
                  else page=index.php; echo '<?php echo "<h1>release one</h1> php " . PHP_VERSION;' > $page; fi
                  git add $page && git commit -q -m 'Release one'
                  git checkout -q -b two
                  sed -i 's/release one/release two/' $page && git commit -q -am 'Release two'
                  git push -q /srv/repos/$kind.git one two
                done
                chmod -R a+rX /srv/repos
                """);
        if (!result.succeeded()) {
            throw new IllegalStateException("repositories: " + result.output());
        }
    }

    private static long millis(Job job) {
        return Duration.between(Objects.requireNonNull(job.startedAt()), Objects.requireNonNull(job.finishedAt())).toMillis();
    }

    private static Job succeeded(JobWatch watch, String jobId) {
        Job job = watch.awaitFinal(jobId);
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException(job.title() + " ended " + job.status() + ": " + job.summary() + "\n"
                    + String.join("\n", watch.lines(job.id())));
        }
        return job;
    }

    /** Waits until no job of the site is queued or running (the settings change rewrites the vhost). */
    private static void awaitIdle(JobWatch watch, Actor owner, Sites sites, String siteId) {
        String job = Fixture.as(owner, () -> sites.get(owner, siteId)).lastJobId();
        if (job != null) {
            succeeded(watch, job);
        }
    }

    private static void awaitContent(TestManagedServer host, String domain, String content) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = get(host, domain);
            if (response.statusCode() == 200 && response.body().contains(content)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(domain + " answers " + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> get(TestManagedServer host, String domain) throws Exception {
        return HTTP.send(request(host, domain), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(TestManagedServer host, String domain) {
        return HttpRequest.newBuilder(URI.create("http://" + host.address() + "/")).header("Host", domain)
                .timeout(Duration.ofSeconds(10)).build();
    }

    /** Closed-loop load: every connection sends its next request when the last one is answered. */
    private static void throughput(TestManagedServer host, String kind, String domain, int connections, Duration load)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        HttpRequest request = request(host, domain);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + load.toNanos();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        latencies.add((System.nanoTime() - sent) / 1_000);
                    }
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> values = new ArrayList<>(latencies);
        System.out.printf("  %-6s %9.0f req/s  p50=%.2fms p95=%.2fms p99=%.2fms  requests=%d failed=%d%n", kind,
                values.size() / seconds, percentile(values, 50) / 1000.0, percentile(values, 95) / 1000.0,
                percentile(values, 99) / 1000.0, values.size(), failures.get());
    }

    private static String phpVersion() throws IOException {
        return ReadyServer.phpVersion();
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
