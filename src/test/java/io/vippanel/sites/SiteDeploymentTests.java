package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.jobs.Job;
import io.vippanel.jobs.JobStatus;
import io.vippanel.jobs.JobWatch;
import io.vippanel.servers.ProvisioningTestProperties;
import io.vippanel.sites.internal.WebhookSignatures;
import io.vippanel.support.Fixture;
import io.vippanel.support.PanelClient;
import io.vippanel.support.PanelTest;
import io.vippanel.support.TestManagedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sites end to end through the REST API with a real worker, real ansible and a provisioned test host: git repositories
 * live on the host ({@code file:///srv/repos/...}), and every result is checked from outside over HTTP with the site's
 * {@code Host}. One server for the whole class; the tests build on each other in order. Timings are printed for
 * bench/RESULTS.md.
 */
@PanelTest
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteDeploymentTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration JOB = Duration.ofMinutes(6);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        ProvisioningTestProperties.register(registry, "sitedeploy");
        registry.add("vip.sites.allow-local-repositories", () -> "true");
        // WordPress core from the Debian package, packed on the test host the way wordpress.org packs it
        registry.add("vip.sites.wordpress-archive", () -> "file:///srv/wordpress/wordpress.tar.gz");
        registry.add("vip.sites.wordpress-checksum", () -> "sha1:file:///srv/wordpress/wordpress.tar.gz.sha1");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    ReadyServer server;
    TestManagedServer host;
    Fixture fixture;
    JobWatch watch;
    PanelClient api;
    String tag;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The static site, its domain and first deployment; the PHP site. */
    String staticId;
    String staticDomain;
    String staticUser;
    String firstDeployment;
    String phpId;
    String phpDomain;

    @BeforeAll
    void setUp() throws Exception {
        TestManagedServer.assumeUsable();
        fixture = Fixture.create(context);
        watch = new JobWatch(context, fixture.superadmin, ReadyServer.patience());
        api = PanelClient.api(port, fixture.tokenOf(fixture.client1User));
        tag = fixture.client1.id().substring(4, 10).toLowerCase(Locale.ROOT);
        long started = System.nanoTime();
        server = ReadyServer.provision(api, watch, "sites-" + tag);
        host = server.host();
        timing("provision the server", started);
        // The repositories belong to root and the sites clone them as their own users.
        exec("git config --system --add safe.directory '*'");
    }

    @AfterAll
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    // --- helpers

    private static void timing(String what, long startedNanos) {
        System.out.printf("TIMING %-45s %6d ms%n", what, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
    }

    private String exec(String command) {
        TestManagedServer.ExecResult result = host.exec(command);
        assertThat(result.exitCode()).as("%s%n%s", command, result.output()).isZero();
        return result.output().strip();
    }

    /** A bare repository on the host with a work tree next to it. */
    private void repository(String name) {
        exec("set -e; git init -q --bare /srv/repos/" + name + ".git; mkdir -p /srv/work/" + name + "; cd /srv/work/" + name
                + "; git init -q -b main; git config user.email test@example.test; git config user.name Test;"
                + " git remote add origin /srv/repos/" + name + ".git");
    }

    /** Writes the files, commits and pushes to main; returns the commit's hash. */
    private String commit(String name, Map<String, String> files, String message) {
        StringBuilder command = new StringBuilder("set -e; cd /srv/work/" + name + "; ");
        files.forEach((path, content) -> command.append("mkdir -p \"$(dirname '").append(path).append("')\"; echo ")
                .append(Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))).append(" | base64 -d > '")
                .append(path).append("'; "));
        command.append("git add -A; git commit -qm '").append(message).append("'; git push -q origin main; chmod -R a+rX /srv/repos;")
                .append(" git rev-parse HEAD");
        String output = exec(command.toString());
        return output.substring(output.lastIndexOf('\n') + 1).strip();
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private Job succeeded(String jobId) {
        Job job = watch.await(jobId, candidate -> candidate.status().isFinal(), JOB);
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private Job failed(String jobId) {
        Job job = watch.await(jobId, candidate -> candidate.status().isFinal(), JOB);
        assertThat(job.status()).as("%s ended %s: %s%n%s", job.title(), job.status(), job.summary(),
                String.join("\n", watch.lines(job.id()))).isEqualTo(JobStatus.FAILED);
        return job;
    }

    /** An HTTP answer from the test host for a host name, as a browser asking for that site would get it. */
    record Answer(int status, String body) {
    }

    private Answer get(String domain, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 3000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + domain + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            in.transferTo(read);
            String text = read.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), end < 0 ? "" : text.substring(end + 4));
        }
    }

    /** The whole answer, head and body, to a request written as it goes on the wire (HTTP/1.0, so the server closes). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 3000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(read);
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    /** Logs in to WordPress's wp-login.php as a browser does; the answer's head. */
    private String wordpressLogin(String domain, String user, String password) throws IOException {
        String form = "log=" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8) + "&pwd="
                + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "&wp-submit=Log+In&testcookie=1&redirect_to="
                + java.net.URLEncoder.encode("http://" + domain + "/wp-admin/", StandardCharsets.UTF_8);
        String answer = exchange("POST /wp-login.php HTTP/1.0\r\nHost: " + domain + "\r\nCookie: wordpress_test_cookie=WP%20Cookie%20check"
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }

    private JsonNode site(String id) {
        return json(api.send("GET", "/api/v1/sites/" + id, null), 200);
    }

    private JsonNode deployments(String siteId) {
        return json(api.send("GET", "/api/v1/sites/" + siteId + "/deployments", null), 200);
    }

    /** Starts a deployment through the API and waits for its job. */
    private JsonNode deploy(String siteId) {
        JsonNode deployment = json(api.send("POST", "/api/v1/sites/" + siteId + "/deployments", null), 202);
        succeeded(deployment.path("jobId").asString());
        return json(api.send("GET", "/api/v1/sites/" + siteId + "/deployments/" + deployment.path("id").asString(), null), 200);
    }

    private JsonNode create(String type, String domain, String repository, String extra) {
        return json(api.send("POST", "/api/v1/sites", """
                {"serverId": "%s", "type": "%s", "domain": "%s", "repositoryUrl": "file:///srv/repos/%s.git", "branch": "main" %s}"""
                .formatted(server.id(), type, domain, repository, extra)), 201);
    }

    // --- the flow

    @Test
    @Order(1)
    void aStaticSiteIsCreatedAndItsRepositoryDeployed() throws IOException {
        repository("static");
        String first = commit("static", Map.of("index.html", "<h1>static v1</h1>\n"), "first");
        staticDomain = "static-" + tag + ".example.test";
        long started = System.nanoTime();
        JsonNode created = create("static", staticDomain, "static", "");
        staticId = created.path("site").path("id").asString();
        staticUser = created.path("site").path("systemUser").asString();
        Job create = succeeded(created.path("jobId").asString());
        timing("create a static site (site.yml + check)", started);
        String deployJob = create.result().path("deploymentJob").asString();
        assertThat(deployJob).as(create.result().toString()).startsWith("job_");
        succeeded(deployJob);
        timing("create → first deployment answers", started);

        Answer answer = get(staticDomain, "/");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("static v1");
        JsonNode site = site(staticId);
        assertThat(site.path("status").asString()).isEqualTo("ready");
        assertThat(site.path("currentCommit").asString()).isEqualTo(first);
        JsonNode list = deployments(staticId);
        assertThat(list.path("total").asLong()).isEqualTo(1);
        JsonNode deployment = list.path("items").get(0);
        firstDeployment = deployment.path("id").asString();
        assertThat(deployment.path("status").asString()).isEqualTo("succeeded");
        assertThat(deployment.path("trigger").asString()).isEqualTo("create");
        assertThat(deployment.path("commitHash").asString()).isEqualTo(first);
        assertThat(deployment.path("commitMessage").asString()).isEqualTo("first");
        assertThat(deployment.path("durationMillis").asLong()).isPositive();
    }

    @Test
    @Order(2)
    void aPhpSiteRunsItsCode() throws IOException {
        repository("php");
        commit("php", Map.of("index.php", "<?php echo 'php says ' . (40 + 2) . PHP_EOL;\n"), "php first");
        phpDomain = "php-" + tag + ".example.test";
        long started = System.nanoTime();
        JsonNode created = create("php", phpDomain, "php", "");
        phpId = created.path("site").path("id").asString();
        Job create = succeeded(created.path("jobId").asString());
        succeeded(create.result().path("deploymentJob").asString());
        timing("create → a PHP site answers", started);
        Answer answer = get(phpDomain, "/");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("php says 42").doesNotContain("<?php");
        // The other site is untouched.
        assertThat(get(staticDomain, "/").body()).contains("static v1");
    }

    @Test
    @Order(3)
    void aRedeployHasZeroDowntime() throws Exception {
        String second = commit("static", Map.of("index.html", "<h1>static v2</h1>\n"), "second");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                boolean seenNew = false;
                while (running.get()) {
                    try {
                        Answer answer = get(staticDomain, "/");
                        requests.incrementAndGet();
                        boolean isNew = answer.body().contains("static v2");
                        boolean isOld = answer.body().contains("static v1");
                        if (answer.status() != 200 || !(isNew || isOld)) {
                            problems.add("HTTP " + answer.status() + ": " + answer.body());
                        } else if (seenNew && isOld) {
                            problems.add("the old release came back after the new one");
                        }
                        seenNew |= isNew;
                    } catch (IOException e) {
                        problems.add(e.toString());
                    }
                }
            }));
        }
        long started = System.nanoTime();
        JsonNode deployment = deploy(staticId);
        timing("redeploy a static site", started);
        Thread.sleep(500);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("ZERO-DOWNTIME %d requests during the redeploy, %d failed%n", requests.get(), problems.size());
        assertThat(problems).as("failed or out-of-order answers out of %d", requests.get()).isEmpty();
        assertThat(requests.get()).isGreaterThan(10);
        assertThat(deployment.path("status").asString()).isEqualTo("succeeded");
        assertThat(deployment.path("commitHash").asString()).isEqualTo(second);
        assertThat(get(staticDomain, "/").body()).contains("static v2");
    }

    @Test
    @Order(4)
    void aRollbackServesTheOldReleaseAgain() throws IOException {
        long started = System.nanoTime();
        JsonNode rollback = json(api.send("POST", "/api/v1/sites/" + staticId + "/deployments/" + firstDeployment + "/rollback", null), 202);
        succeeded(rollback.path("jobId").asString());
        timing("roll back", started);
        assertThat(get(staticDomain, "/").body()).contains("static v1");
        JsonNode row = json(api.send("GET", "/api/v1/sites/" + staticId + "/deployments/" + rollback.path("id").asString(), null), 200);
        assertThat(row.path("kind").asString()).isEqualTo("rollback");
        assertThat(row.path("status").asString()).isEqualTo("succeeded");
        assertThat(row.path("rollbackOf").asString()).isEqualTo(firstDeployment);
    }

    @Test
    @Order(5)
    void aFailingStepLeavesTheOldReleaseServing() throws IOException {
        commit("static", Map.of("index.html", "<h1>static v3 broken</h1>\n"), "third");
        succeeded(json(api.send("PATCH", "/api/v1/sites/" + staticId, "{\"deployScript\": \"echo building\\nexit 3\"}"), 202)
                .path("jobId").asString());
        JsonNode deployment = json(api.send("POST", "/api/v1/sites/" + staticId + "/deployments", null), 202);
        failed(deployment.path("jobId").asString());
        JsonNode row = json(api.send("GET", "/api/v1/sites/" + staticId + "/deployments/" + deployment.path("id").asString(), null), 200);
        assertThat(row.path("status").asString()).isEqualTo("failed");
        assertThat(row.path("failedStep").asString()).contains("exit 3");
        assertThat(get(staticDomain, "/").body()).contains("static v1").doesNotContain("v3");
        assertThat(site(staticId).path("lastDeploymentStatus").asString()).isEqualTo("failed");
        succeeded(json(api.send("PATCH", "/api/v1/sites/" + staticId, "{\"deployScript\": \"\"}"), 202).path("jobId").asString());
    }

    @Test
    @Order(6)
    void invalidNginxLinesAreRefusedAndTheOtherSitesKeepAnswering() throws IOException {
        Job job = failed(json(api.send("PATCH", "/api/v1/sites/" + phpId, "{\"nginxCustom\": \"this_is_not_a_directive on;\"}"), 202)
                .path("jobId").asString());
        assertThat(job.summary() + job.result()).contains("Validate the nginx configuration.");
        assertThat(get(staticDomain, "/").body()).contains("static v1");
        assertThat(get(phpDomain, "/").body()).contains("php says 42");
        exec("nginx -t");
        JsonNode php = site(phpId);
        assertThat(php.path("status").asString()).isEqualTo("ready");
        assertThat(php.path("failedStep").asString()).contains("Validate the nginx configuration.");
        succeeded(json(api.send("PATCH", "/api/v1/sites/" + phpId, "{\"nginxCustom\": \"add_header X-Vip-Test yes;\"}"), 202)
                .path("jobId").asString());
        assertThat(get(phpDomain, "/").body()).contains("php says 42");
    }

    @Test
    @Order(7)
    void oneSitesPhpCannotReadAnotherSitesFiles() throws IOException {
        String target = "/home/" + staticUser + "/site/current/index.html";
        commit("php", Map.of("peek.php", "<?php var_dump(@file_get_contents('" + target + "')); var_dump(@is_dir('/home/" + staticUser + "'));\n"),
                "peek");
        deploy(phpId);
        Answer answer = get(phpDomain, "/peek.php");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("bool(false)").doesNotContain("static v");
        // The file is there: it is the isolation that keeps it out of reach.
        assertThat(exec("cat " + target)).contains("static v1");
    }

    private HttpResponse<String> hook(String siteId, String body, String secret, String delivery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Sites.webhookPath(siteId)))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", WebhookSignatures.githubSignature(body.getBytes(StandardCharsets.UTF_8), secret))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(8)
    void aSignedPushDeploysOnceAndNothingElseDeploys() throws Exception {
        String fourth = commit("static", Map.of("index.html", "<h1>static v4 from a push</h1>\n"), "fourth");
        String secret = json(api.send("POST", "/api/v1/sites/" + staticId + "/webhook-secret", null), 200).path("secret").asString();
        String push = "{\"ref\": \"refs/heads/main\", \"after\": \"" + fourth + "\"}";
        long before = deployments(staticId).path("total").asLong();

        assertThat(hook(staticId, push, "not the secret", UUID.randomUUID().toString()).statusCode()).isEqualTo(401);
        assertThat(deployments(staticId).path("total").asLong()).isEqualTo(before);

        String delivery = UUID.randomUUID().toString();
        long started = System.nanoTime();
        HttpResponse<String> accepted = hook(staticId, push, secret, delivery);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String deploymentId = JSON.readTree(accepted.body()).path("deploymentId").asString();
        JsonNode row = json(api.send("GET", "/api/v1/sites/" + staticId + "/deployments/" + deploymentId, null), 200);
        succeeded(row.path("jobId").asString());
        timing("push webhook → new commit answers", started);
        assertThat(get(staticDomain, "/").body()).contains("static v4 from a push");
        row = json(api.send("GET", "/api/v1/sites/" + staticId + "/deployments/" + deploymentId, null), 200);
        assertThat(row.path("trigger").asString()).isEqualTo("webhook");
        assertThat(row.path("commitHash").asString()).isEqualTo(fourth);

        HttpResponse<String> replay = hook(staticId, push, secret, delivery);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(deployments(staticId).path("total").asLong()).isEqualTo(before + 1);
    }

    @Test
    @Order(9)
    void aSuspendedSiteAnswers503AndRunsNothingUntilItIsBack() throws IOException {
        String sites = "/api/v1/sites/" + staticId;
        json(api.send("POST", sites + "/workers", "{\"name\": \"sleeper\", \"command\": \"sleep 3600\", \"processes\": 1}"), 201);
        succeeded(latestJob(staticId, "sites.workers"));
        String cronId = json(api.send("POST", sites + "/cron-jobs", "{\"expression\": \"17 3 * * *\", \"command\": \"true\"}"), 201)
                .path("id").asString();
        succeeded(latestJob(staticId, "sites.cron"));
        String worker = "pgrep -u " + staticUser + " -f 'sleep 3600'";
        String cron = "grep -q " + cronId + " /etc/cron.d/vip-" + staticUser;
        assertThat(host.exec(worker).succeeded()).isTrue();
        assertThat(host.exec(cron).succeeded()).isTrue();

        Job suspended = succeeded(json(api.send("POST", sites + "/suspend", null), 202).path("jobId").asString());
        assertThat(suspended.summary()).contains("its processes and its cron jobs stopped");
        assertThat(get(staticDomain, "/").status()).isEqualTo(503);
        assertThat(site(staticId).path("status").asString()).isEqualTo("suspended");
        assertThat(get(phpDomain, "/").body()).contains("php says 42");
        assertThat(host.exec(worker).succeeded()).as("the worker stopped").isFalse();
        assertThat(host.exec(cron).succeeded()).as("the cron job is off").isFalse();
        JsonNode workerRow = json(api.send("GET", sites + "/workers", null), 200).get(0);
        assertThat(workerRow.path("status").asString()).isEqualTo("inactive");
        assertThat(workerRow.path("statusNote").asString()).contains("suspended");
        assertThat(json(api.send("GET", sites + "/cron-jobs", null), 200).get(0).path("status").asString()).isEqualTo("pending");

        succeeded(json(api.send("POST", sites + "/unsuspend", null), 202).path("jobId").asString());
        assertThat(get(staticDomain, "/").body()).contains("static v4");
        assertThat(site(staticId).path("status").asString()).isEqualTo("ready");
        assertThat(host.exec(worker).succeeded()).as("the worker runs again").isTrue();
        assertThat(host.exec(cron).succeeded()).as("the cron job is back").isTrue();
        assertThat(json(api.send("GET", sites + "/workers", null), 200).get(0).path("status").asString()).isEqualTo("active");
        assertThat(json(api.send("GET", sites + "/cron-jobs", null), 200).get(0).path("status").asString()).isEqualTo("applied");
    }

    /** The newest job of a type on a site (creating a worker or cron job answers with the row, not the job). */
    private String latestJob(String siteId, String type) {
        return context.getBean(io.vippanel.tenancy.SystemTransactions.class).call(() -> org.springframework.jdbc.core.simple.JdbcClient
                .create(context.getBean(javax.sql.DataSource.class))
                .sql("SELECT id FROM jobs WHERE target_id = ? AND type = ? ORDER BY queued_at DESC LIMIT 1")
                .params(siteId, type).query(String.class).single());
    }

    @Test
    @Order(10)
    void aDeletedSiteIsGoneFromTheServer() throws IOException {
        long started = System.nanoTime();
        Job job = succeeded(json(api.send("DELETE", "/api/v1/sites/" + staticId + "?confirm=" + staticDomain, null), 202)
                .path("jobId").asString());
        timing("delete a site", started);
        assertThat(job.result().path("removed").isArray()).as(job.result().toString()).isTrue();
        assertThat(job.result().path("removed").size()).as(job.result().toString()).isPositive();
        assertThat(job.result().path("removed").toString()).as("the worker and cron file of the suspension test go too")
                .contains("\"service\"", "\"cron\"");
        // [3]: the shell running pgrep has the pattern in its own command line
        assertThat(host.exec("pgrep -f 'sleep [3]600'").succeeded()).as("the worker's process is gone").isFalse();
        assertThat(get(staticDomain, "/").body()).doesNotContain("static v");
        assertThat(api.send("GET", "/api/v1/sites/" + staticId, null).statusCode()).isEqualTo(404);
        assertThat(host.exec("id " + staticUser).exitCode()).isNotZero();
        assertThat(get(phpDomain, "/").body()).contains("php says 42");
    }

    @Test
    @Order(11)
    void aNodeAppRunsUnderTheProcessManagerAndARedeployRestartsIt() throws IOException {
        repository("node");
        String server = """
                const http = require('http');
                http.createServer((request, response) => response.end('node says %s on ' + process.env.PORT + '\\n'))
                    .listen(Number(process.env.PORT), '127.0.0.1');
                """;
        Map<String, String> app = Map.of("package.json", """
                {"name": "app", "version": "1.0.0", "private": true, "scripts": {"start": "node server.js"}}
                """, "package-lock.json", """
                {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
                 "packages": {"": {"name": "app", "version": "1.0.0"}}}
                """);
        Map<String, String> first = new java.util.HashMap<>(app);
        first.put("server.js", server.formatted("v1"));
        commit("node", first, "node first");
        String domain = "node-" + tag + ".example.test";
        long started = System.nanoTime();
        JsonNode created = create("nodejs", domain, "node", "");
        String id = created.path("site").path("id").asString();
        int appPort = created.path("site").path("appPort").asInt();
        assertThat(appPort).isGreaterThanOrEqualTo(3000);
        Job create = succeeded(created.path("jobId").asString());
        succeeded(create.result().path("deploymentJob").asString());
        timing("create → a Node.js site answers", started);
        assertThat(get(domain, "/").body()).contains("node says v1 on " + appPort);

        commit("node", Map.of("server.js", server.formatted("v2")), "node second");
        JsonNode redeployed = deploy(id);
        assertThat(redeployed.path("status").asString()).isEqualTo("succeeded");
        assertThat(get(domain, "/").body()).as("the app restarted onto the new release").contains("node says v2");
    }

    @Test
    @Order(12)
    void wordPressIsInstalledWithItsDatabaseAndAnAdministratorShownOnce() throws IOException {
        exec("set -e; rm -rf /srv/wordpress; mkdir -p /srv/wordpress/build; cp -rL /usr/share/wordpress /srv/wordpress/build/wordpress;"
                + " rm -f /srv/wordpress/build/wordpress/wp-config.php /srv/wordpress/build/wordpress/.htaccess;"
                + " tar -czf /srv/wordpress/wordpress.tar.gz -C /srv/wordpress/build wordpress;"
                + " sha1sum /srv/wordpress/wordpress.tar.gz | cut -d' ' -f1 | tr -d '\\n' > /srv/wordpress/wordpress.tar.gz.sha1;"
                + " rm -rf /srv/wordpress/build");
        String version = exec("sed -n \"s/^\\$wp_version = '\\(.*\\)';/\\1/p\" /usr/share/wordpress/wp-includes/version.php");
        String domain = "wp-" + tag + ".example.test";
        String title = "Corner Shop " + tag;

        long started = System.nanoTime();
        JsonNode created = json(api.send("POST", "/api/v1/sites", """
                {"serverId": "%s", "type": "wordpress", "domain": "%s",
                 "wordpress": {"title": "%s", "adminUser": "shopkeeper", "adminEmail": "keeper@example.test"}}""".formatted(
                server.id(), domain, title)), 201);
        String id = created.path("site").path("id").asString();
        String user = created.path("site").path("systemUser").asString();
        JsonNode admin = created.path("wordpressAdmin");
        String password = admin.path("password").asString();
        assertThat(admin.path("user").asString()).isEqualTo("shopkeeper");
        assertThat(admin.path("loginUrl").asString()).isEqualTo("http://" + domain + "/wp-login.php");
        assertThat(password).hasSize(24);
        assertThat(created.path("site").path("deploySource").asString()).isEqualTo("wordpress");

        Job create = succeeded(created.path("jobId").asString());
        Job install = succeeded(create.result().path("deploymentJob").asString());
        timing("create → WordPress installed and answering", started);
        assertThat(install.summary()).contains("WordPress " + version);
        assertThat(install.result().path("wordpressInstalled").asBoolean()).as("the first deployment installs").isTrue();
        assertThat(String.join("\n", watch.lines(install.id()))).as("the job log").doesNotContain(password);

        Answer home = get(domain, "/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(title);
        assertThat(wordpressLogin(domain, "shopkeeper", password)).as("the administrator logs in")
                .startsWith("HTTP/1.1 302").contains("Location: http://" + domain + "/wp-admin/").contains("wordpress_logged_in_");
        assertThat(wordpressLogin(domain, "shopkeeper", password + "x")).doesNotContain("wordpress_logged_in_");

        // shown once: the API never returns it again and the panel has forgotten it
        assertThat(api.send("GET", "/api/v1/sites/" + id, null).body()).doesNotContain(password);
        assertThat(context.getBean(io.vippanel.tenancy.SystemTransactions.class).call(() -> org.springframework.jdbc.core.simple.JdbcClient
                .create(context.getBean(javax.sql.DataSource.class))
                .sql("SELECT admin_password IS NULL AND installed_at IS NOT NULL AND version = ? FROM site_wordpress WHERE site_id = ?")
                .params(version, id).query(Boolean.class).single())).isTrue();
        JsonNode databases = json(api.send("GET", "/api/v1/sites/" + id + "/databases", null), 200);
        assertThat(databases.size()).isEqualTo(1);
        assertThat(databases.get(0).path("status").asString()).isEqualTo("present");
        assertThat(databases.get(0).path("name").asString()).isEqualTo(user);

        // configuration and wp-content live outside the releases, the configuration for the site user only
        assertThat(exec("stat -c '%a %U' /home/" + user + "/site/shared/wp-config.php")).isEqualTo("600 " + user);
        assertThat(exec("readlink /home/" + user + "/site/current/wp-content")).isEqualTo("/home/" + user + "/site/shared/wp-content");
        assertThat(get(domain, "/wp-config.php").body()).doesNotContain("DB_PASSWORD");

        // a redeploy puts a fresh core beside it and keeps the install, its database and its administrator
        String firstRelease = site(id).path("currentRelease").asString();
        exec("echo uploaded > /home/" + user + "/site/shared/wp-content/uploads-test.txt");
        JsonNode redeployed = deploy(id);
        assertThat(redeployed.path("status").asString()).isEqualTo("succeeded");
        assertThat(redeployed.path("commitMessage").asString()).isEqualTo("WordPress " + version);
        assertThat(watch.await(redeployed.path("jobId").asString(), job -> job.status().isFinal(), JOB).result()
                .path("wordpressInstalled").asBoolean()).as("a redeploy finds WordPress installed").isFalse();
        assertThat(redeployed.path("release").asString()).isNotEqualTo(firstRelease);
        assertThat(get(domain, "/").body()).contains(title);
        assertThat(get(domain, "/wp-content/uploads-test.txt").body()).contains("uploaded");
        assertThat(wordpressLogin(domain, "shopkeeper", password)).contains("wordpress_logged_in_");
    }
}
