package io.vippanel.bench;

import io.vippanel.VipPanel;
import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsAccounts;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DnsZones;
import io.vippanel.dns.NewDnsAccount;
import io.vippanel.dns.NewZone;
import io.vippanel.dns.ZoneCreated;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.NewServer;
import io.vippanel.servers.Server;
import io.vippanel.servers.Servers;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.ReadyServer;
import io.vippanel.sites.Site;
import io.vippanel.sites.SiteCreated;
import io.vippanel.sites.Sites;
import io.vippanel.ssl.AcmeAccountSettings;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.Certificates;
import io.vippanel.ssl.IssueRequest;
import io.vippanel.support.Fixture;
import io.vippanel.support.PebbleServer;
import io.vippanel.support.PowerDnsServer;
import io.vippanel.support.TestDatabase;
import io.vippanel.support.TestManagedServer;
import io.vippanel.tenancy.Actor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Certificates on one freshly provisioned test host, from "issue" to "served": a real Pebble CA that resolves names
 * through a real PowerDNS holding the sites' zone (the A records are the ones the panel wrote), HTTP-01 answered by the
 * site's nginx, DNS-01 through the managed zone. Per run (after one warm-up): (a) the first HTTP-01 certificate of a
 * fresh static site, (b) the first DNS-01 certificate with a wildcard of another fresh static site, (c) a forced
 * renewal of (a)'s certificate. Each is timed from the service call until the job has succeeded and
 * {@code curl --cacert <pebble root>} on port 443 of the host presents the new serial, and split by the job's own step
 * timings. See bench/README.md.
 */
public final class SslBench {

    /** RESULTS.md, "Servers and sites again, with one SSH master connection": create → ready, create → answering. */
    private static final double SERVER_READY_SECONDS = 30.4;
    private static final double STATIC_SITE_SECONDS = 14.6;
    private static final double PROMISE_SECONDS = 8 * 60;

    private static final List<String> STEPS = List.of("order", "dns", "challenge", "finalize", "download", "deploy", "check");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int exit = 0;
        PowerDnsServer pdns = PowerDnsServer.start();
        PebbleServer pebble = PebbleServer.start(pdns.dnsPort(), 80);
        Path pebbleRoot = Files.createTempFile("vip-bench-pebble-root", ".pem");
        Files.writeString(pebbleRoot, pebble.rootCertificatePem());
        String database = TestDatabase.create("bench_ssl");
        Path dataDir = Files.createTempDirectory("vip-bench-ssl");
        // Production timings for the ACME and DNS parts (propagation checked every 3 s, the default); only the test
        // host's no-route-out settings and faster job polling, as in the other benches.
        ConfigurableApplicationContext panel = new SpringApplicationBuilder(VipPanel.class).web(WebApplicationType.NONE).run(
                "--vip.database.url=" + database, "--vip.database.user=postgres", "--vip.database.password=",
                "--vip.role=all", "--vip.database.pool-size=8", "--vip.data-dir=" + dataDir, "--logging.level.root=warn",
                "--vip.servers.php-vendor-repo=false", "--vip.servers.nodejs-from-distro=true",
                "--vip.servers.ssh-wait-interval=250ms", "--vip.jobs.polling-interval=250ms",
                "--vip.ssl.acme-directory=" + pebble.directoryUrl(),
                "--vip.ssl.acme-trust-roots=" + pebble.tlsTrustFile(),
                "--vip.ssl.site-trust-roots=" + pebbleRoot);
        try (TestManagedServer host = TestManagedServer.start()) {
            Fixture fixture = Fixture.create(panel);
            Actor owner = fixture.client1User;
            JobWatch watch = new JobWatch(panel, fixture.superadmin, Duration.ofMinutes(10));

            // The platform's ACME account, a shared PowerDNS account (the reseller's), and the client's managed zone.
            Actor admin = fixture.admin;
            Fixture.as(admin, () -> panel.getBean(AcmeAccountSettings.class).register(admin, null, "ops@example.com", true));
            Actor reseller = fixture.reseller1User;
            DnsAccount account = Fixture.as(reseller, () -> panel.getBean(DnsAccounts.class).create(reseller, new NewDnsAccount(
                    "powerdns", "Platform DNS", true, pdns.apiUrl(), pdns.apiKey(), null, "ns1.panel.test, ns2.panel.test",
                    "127.0.0.1:" + pdns.dnsPort(), null, null, null, null)));
            DnsZones zones = panel.getBean(DnsZones.class);
            String zoneName = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
            ZoneCreated zone = Fixture.as(owner, () -> zones.create(owner, new NewZone(account.id(), zoneName, null)));
            succeeded(watch, zone.jobId());

            String php = ReadyServer.phpVersion();
            Servers servers = panel.getBean(Servers.class);
            Server server = Fixture.as(owner, () -> servers.create(owner, new NewServer("custom", "bench-ssl", null, null,
                    "DEBIAN_12", null, "nginx", List.of(php), php, "mariadb", false, false, host.address(),
                    Integer.toString(host.port()), "root", "password", host.rootPassword(), null)));
            succeeded(watch, Objects.requireNonNull(server.lastJobId()));
            System.out.printf("machine: %d cores, java %s; test host %s with nginx; Pebble (no validation sleep) resolving"
                            + " through PowerDNS, zone %s; %d measured run(s) after one warm-up%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), host.address(), zoneName, runs);

            // Fresh static sites, two per run: one for HTTP-01 (and its renewal), one for the DNS-01 wildcard. The panel
            // writes their A records into the zone; the CA resolves them there.
            Sites sites = panel.getBean(Sites.class);
            List<Site> httpSites = new ArrayList<>();
            List<Site> dnsSites = new ArrayList<>();
            long sitesStarted = System.nanoTime();
            for (int run = 0; run <= runs; run++) {
                httpSites.add(staticSite(sites, watch, owner, server, "h" + run + "." + zoneName));
                dnsSites.add(staticSite(sites, watch, owner, server, "w" + run + "." + zoneName));
            }
            awaitZoneApplied(zones, owner, zone.zone().id());
            System.out.printf("%d static sites made and their A records applied in %.1fs%n", 2 * (runs + 1),
                    (System.nanoTime() - sitesStarted) / 1e9);

            Certificates certificates = panel.getBean(Certificates.class);
            Map<String, List<Long>> figures = new LinkedHashMap<>();
            for (int run = 0; run <= runs; run++) {
                Site http = httpSites.get(run);
                Site dns = dnsSites.get(run);
                Map<String, Map<String, Long>> lines = new LinkedHashMap<>();
                Measured issued = measure(watch, certificates, owner, host, pebbleRoot, http.domain(), null,
                        () -> certificates.issue(owner, http.id(), new IssueRequest("http-01", false, false)));
                lines.put("http01", issued.line());
                Measured wildcard = measure(watch, certificates, owner, host, pebbleRoot, dns.domain(), null,
                        () -> certificates.issue(owner, dns.id(), new IssueRequest("dns-01", true, false)));
                if (!wildcard.certificate().certNames().contains("*." + dns.domain())) {
                    throw new IllegalStateException("the DNS-01 certificate of " + dns.domain() + " covers " + wildcard.certificate().certNames());
                }
                lines.put("dns01wild", wildcard.line());
                Measured renewed = measure(watch, certificates, owner, host, pebbleRoot, http.domain(), issued.certificate().serial(),
                        () -> certificates.renew(owner, issued.certificate().id()));
                lines.put("renew", renewed.line());
                for (Map.Entry<String, Map<String, Long>> kind : lines.entrySet()) {
                    StringBuilder printed = new StringBuilder(run == 0 ? "warm-up" : "run " + run).append(' ')
                            .append(kind.getKey()).append(':');
                    kind.getValue().forEach((step, millis) -> printed.append(String.format(Locale.ROOT, " %s=%.2fs", step, millis / 1000.0)));
                    System.out.println(printed);
                    if (run > 0) {
                        kind.getValue().forEach((step, millis) -> figures.computeIfAbsent(kind.getKey() + "." + step,
                                key -> new ArrayList<>()).add(millis));
                    }
                }
            }
            System.out.println();
            System.out.printf("%-40s %8s %8s %8s %8s%n", "step", "p50", "p95", "p99", "max");
            figures.forEach((step, values) -> System.out.printf(Locale.ROOT, "%-40s %7.2fs %7.2fs %7.2fs %7.2fs%n", step,
                    percentile(values, 50) / 1000.0, percentile(values, 95) / 1000.0, percentile(values, 99) / 1000.0,
                    percentile(values, 100) / 1000.0));
            System.out.println("steps: order = new order + authorizations; dns = DNS-01 records answered by every check server;"
                    + " challenge = answers published + CA validation (DNS propagation excluded); finalize = CSR + CA"
                    + " signs; download = chain fetched; deploy = site-tls.yml (files, nginx -t, reload); check = port 443"
                    + " probed by the panel; job = job started → finished; wall = call → job succeeded and curl sees the"
                    + " new serial (incl. queue pick-up)");
            System.out.println();
            double ssl = percentile(figures.get("http01.wall"), 50) / 1000.0;
            double total = SERVER_READY_SECONDS + STATIC_SITE_SECONDS + ssl;
            System.out.printf(Locale.ROOT, "server + site + SSL: %.1fs (server ready %.1fs + static site answering %.1fs, from"
                            + " bench/RESULTS.md, + HTTP-01 issue → served p50 %.1fs) against the promise of %.0fs: %s%n",
                    total, SERVER_READY_SECONDS, STATIC_SITE_SECONDS, ssl, PROMISE_SECONDS,
                    total < PROMISE_SECONDS ? String.format(Locale.ROOT, "met, %.0f%% of it", 100 * total / PROMISE_SECONDS) : "MISSED");
            Runtime runtime = Runtime.getRuntime();
            String status = Files.readString(Path.of("/proc/self/status"));
            System.out.printf("panel heap in use at the end: %d MiB (committed %d MiB); panel JVM (with the driver) pid %d: %s, %s%n",
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.totalMemory() >> 20, ProcessHandle.current().pid(),
                    field(status, "VmRSS"), field(status, "VmHWM"));
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            panel.close();
            pebble.close();
            pdns.close();
            Files.deleteIfExists(pebbleRoot);
        }
        System.exit(exit);
    }

    /** What one issuance or renewal took, and the certificate it left. */
    private record Measured(Certificate certificate, Map<String, Long> line) {
    }

    /**
     * Calls {@code start}, waits for its job and then for port 443 of the host to present the job's serial to curl with
     * Pebble's root; wall time from the call to that moment, plus the job's own step timings.
     */
    private static Measured measure(JobWatch watch, Certificates certificates, Actor owner, TestManagedServer host, Path pebbleRoot,
                                    String domain, String previousSerial, Supplier<Certificates.Queued> start) throws Exception {
        long started = System.nanoTime();
        Certificates.Queued queued = Fixture.as(owner, start);
        Job job = succeeded(watch, queued.job().id());
        long jobSeen = System.nanoTime();
        Certificate certificate = Fixture.as(owner, () -> certificates.get(owner, queued.certificate().id()));
        String serial = normalize(Objects.requireNonNull(certificate.serial(), "no serial after the job"));
        if (previousSerial != null && serial.equals(normalize(previousSerial))) {
            throw new IllegalStateException("the renewal of " + domain + " kept serial " + serial);
        }
        int curls = awaitServed(host, pebbleRoot, domain, serial);
        long wall = (System.nanoTime() - started) / 1_000_000;
        Map<String, Long> line = new LinkedHashMap<>();
        for (String step : STEPS) {
            Long millis = certificate.stepTimings().get(step);
            if (millis != null) {
                line.put(step, millis);
            }
        }
        certificate.stepTimings().forEach((step, millis) -> line.putIfAbsent(step, millis));
        line.put("pickup", Duration.between(job.queuedAt(), Objects.requireNonNull(job.startedAt())).toMillis());
        line.put("job", Duration.between(Objects.requireNonNull(job.startedAt()), Objects.requireNonNull(job.finishedAt())).toMillis());
        line.put("curl", (System.nanoTime() - jobSeen) / 1_000_000);
        line.put("wall", wall);
        if (job.attempts() > 1 || curls > 1) {
            System.out.printf("  note: %s took %d job attempt(s) and %d curl(s) to see serial %s%n", domain, job.attempts(), curls, serial);
        }
        return new Measured(certificate, line);
    }

    private static Site staticSite(Sites sites, JobWatch watch, Actor owner, Server server, String domain) {
        SiteCreated created = Fixture.as(owner, () -> sites.create(owner, new NewSite(server.id(), "static", domain, "www." + domain,
                false, null, null, null, null, null, null, null, null)));
        succeeded(watch, created.jobId());
        return created.site();
    }

    /** curl over HTTPS with Pebble's root until port 443 presents {@code serial}; returns the number of tries. */
    private static int awaitServed(TestManagedServer host, Path pebbleRoot, String domain, String serial) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int tries = 1; ; tries++) {
            String presented = presentedSerial(host, pebbleRoot, domain);
            if (serial.equals(presented)) {
                return tries;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(domain + " still presents " + presented + ", not " + serial);
            }
            Thread.sleep(50);
        }
    }

    private static String presentedSerial(TestManagedServer host, Path pebbleRoot, String domain) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{certs}", "--cacert",
                pebbleRoot.toString(), "--resolve", domain + ":443:" + host.address(), "https://" + domain + "/")
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes());
        if (!curl.waitFor(20, TimeUnit.SECONDS) || curl.exitValue() != 0) {
            return "curl failed: " + output.strip();
        }
        // The leaf comes first.
        return output.lines().filter(line -> line.startsWith("Serial Number:")).findFirst()
                .map(line -> normalize(line.substring("Serial Number:".length()))).orElse("no certificate");
    }

    private static String normalize(String serial) {
        String hex = serial.replace(":", "").strip().toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return hex;
    }

    private static void awaitZoneApplied(DnsZones zones, Actor owner, String zoneId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            DnsZone now = Fixture.as(owner, () -> zones.get(owner, zoneId));
            if (now.pendingSets() == 0 && now.status() == ZoneStatus.ACTIVE) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the zone's records were not applied: " + now);
            }
            Thread.sleep(250);
        }
    }

    private static Job succeeded(JobWatch watch, String jobId) {
        Job job = watch.awaitFinal(jobId);
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException(job.title() + " ended " + job.status() + ": " + job.summary() + "\n"
                    + String.join("\n", watch.lines(job.id())));
        }
        return job;
    }

    private static String field(String status, String name) {
        return status.lines().filter(line -> line.startsWith(name + ":")).findFirst().map(String::strip).orElse(name + ": ?");
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
