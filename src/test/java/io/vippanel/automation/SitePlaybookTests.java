package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.PlaybookResult.TaskResult;
import io.vippanel.support.TestManagedServer;
import io.vippanel.support.TestManagedServer.PanelKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The site playbooks (site.yml, site-deploy.yml, site-rollback.yml) run through {@link PlaybookRunner} against a
 * provisioned {@link TestManagedServer} and checked from outside over HTTP with the sites' host names: deploys from
 * git repositories in the host and from an archive on this machine, PHP through each site's own pool, a redeploy
 * under load without a failed request, rollbacks, a failing build step, nginx directives nginx refuses, isolation
 * between sites, suspension, the WAF, a Node.js app behind the proxy with a WebSocket upgrade, and removal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SitePlaybookTests {

    private static final String ADMIN = ProvisioningPlaybookTests.ADMIN;
    private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();
    private static final String R1 = "20260101000001";
    private static final String R2 = "20260101000002";
    private static final String R3 = "20260101000003";

    private static TestManagedServer server;
    private static PanelKey panelKey;
    private static PlaybookRunner runner;
    private static String phpVersion;

    /** The sites of this test: static (alpha), PHP (bravo), Node.js (charlie) and one that never gets a vhost (delta). */
    private static final Map<String, Object> ALPHA = site("site_alpha", "alpha", "static", "static.test", "");
    private static final Map<String, Object> BRAVO = site("site_bravo", "bravo", "php", "php.test", "");
    private static final Map<String, Object> CHARLIE = site("site_charlie", "charlie", "nodejs", "node.test", "public");

    @BeforeAll
    static void provision() throws Exception {
        TestManagedServer.assumeUsable();
        TestSshHost.assumeUsable(true);
        phpVersion = ProvisioningPlaybookTests.distroPhpVersion();
        BRAVO.put("site_php_version", phpVersion);
        long start = System.nanoTime();
        server = TestManagedServer.start();
        panelKey = TestManagedServer.newPanelKey("panel@test");
        server.installAuthorizedKey(panelKey.publicKey());
        runner = new PlaybookRunner(Path.of("automation"), "ansible-playbook", Duration.ofMinutes(10), Duration.ofSeconds(10));
        time("test host up", start);

        start = System.nanoTime();
        Map<String, Object> vars = ProvisioningPlaybookTests.provisionVars(server, panelKey, phpVersion, "mariadb", false);
        vars.put("nodejs", true);
        RunWatcher watcher = new RunWatcher(Path.of("automation"), "provision-server.yml");
        PlaybookResult provisioned = runner.run(new PlaybookRun("provision-server.yml", login("root"), panelKey.privateKey(), vars,
                Set.of("database_root_password"), Duration.ofMinutes(8)), watcher);
        assertThat(provisioned.outcome()).as(diagnose(provisioned, watcher)).isEqualTo(Outcome.SUCCEEDED);
        time("provision-server.yml", start);
        System.out.printf("[run] provision-server.yml %d ms%n", (System.nanoTime() - start) / 1_000_000);

        start = System.nanoTime();
        must("mkdir -p /srv/repos /srv/work && git config --system init.defaultBranch main"
                + " && git config --system user.name Test && git config --system user.email test@example.com");
        commit("static", Map.of("index.html", "<h1>static v1</h1>\n", "style.css", "body { color: #333; }\n"), "First static page");
        commit("php", Map.of("index.php", "<?php\necho 'release:v1', \"\\n\";\necho 'user:', posix_getpwuid(posix_geteuid())['name'], \"\\n\";\n"
                + "echo 'mark:', getenv('APP_MARK') ?: (file_exists(__DIR__ . '/.env') ? 'env-file' : 'none'), \"\\n\";\n",
                "check.php", "<?php\nheader('Content-Type: application/json');\n$path = $_GET['p'] ?? '';\n"
                        + "echo json_encode(['readable' => is_readable($path), 'read' => @file_get_contents($path) !== false]);\n"),
                "PHP v1");
        commit("node", Map.of("package.json", "{\"name\":\"app\",\"version\":\"1.0.0\",\"private\":true,\"scripts\":{\"start\":\"node server.js\"}}\n",
                "package-lock.json", "{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":3,\"requires\":true,"
                        + "\"packages\":{\"\":{\"name\":\"app\",\"version\":\"1.0.0\"}}}\n",
                "server.js", """
                        const http = require('http');
                        const server = http.createServer((req, res) => {
                          res.end('node ok ' + req.headers['x-forwarded-for'] + '\\n');
                        });
                        server.on('upgrade', (req, socket) => {
                          socket.end('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n'
                            + 'ws-upgraded:' + req.headers['upgrade'] + ':' + req.headers['connection'] + '\\n');
                        });
                        server.listen(Number(process.env.PORT), '127.0.0.1');
                        """,
                "public/app.css", "body { margin: 0; }\n"), "Node app");
        time("test repositories", start);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            long start = System.nanoTime();
            server.close();
            time("test host down", start);
            assertThat(server.leftovers()).as("what the test host left on the machine").isEmpty();
        }
        TIMINGS.forEach((step, millis) -> System.out.printf("[timing] %-55s %6d ms%n", step, millis));
    }

    @Test
    @Order(1)
    void aStaticSiteServesItsGitReleaseAndAnArchiveReleaseReplacesIt() throws Exception {
        ALPHA.put("site_aliases", List.of("www.static.test"));
        ALPHA.put("site_redirect_aliases", true);
        ALPHA.put("site_keep_releases", 1);
        PlaybookResult created = ok("site.yml", present(ALPHA));
        assertThat(created.outputs()).containsEntry("vhost", "/etc/nginx/sites-available/vip-site_alpha.conf")
                .containsEntry("pool", "").containsEntry("removed", List.of());
        assertThat(exec("stat -c '%a %U:%G' /home/alpha /home/alpha/logs && id -nG www-data")).contains("750 alpha:alpha",
                "750 root:alpha").containsPattern("www-data.* alpha");

        PlaybookResult deployed = ok("site-deploy.yml", deploy(ALPHA, R1, "static", List.of("test -f index.html"), List.of(), null, "none"));
        assertThat(deployed.outputs()).containsEntry("release", R1).containsEntry("commit_message", "First static page")
                .containsEntry("releases", List.of(R1)).containsEntry("pruned", List.of()).containsEntry("restarted", "");
        assertThat((String) deployed.outputs().get("commit")).matches("[0-9a-f]{40}");

        Http page = http("static.test", "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("static v1");
        assertThat(page.headers()).containsEntry("x-content-type-options", "nosniff").containsEntry("x-frame-options", "SAMEORIGIN")
                .containsEntry("referrer-policy", "strict-origin-when-cross-origin");
        Http css = http("static.test", "/style.css", "Accept-Encoding: gzip");
        assertThat(css.headers()).containsKey("expires").containsEntry("x-frame-options", "SAMEORIGIN");
        assertThat(css.headers().get("cache-control")).contains("max-age=2592000");
        Http alias = http("www.static.test", "/some/path?x=1");
        assertThat(alias.status()).isEqualTo(301);
        assertThat(alias.headers()).containsEntry("location", "http://static.test/some/path?x=1");
        assertThat(http("static.test", "/.git/config").status()).isEqualTo(403);
        assertThat(http("static.test", "/.env").status()).isEqualTo(403);
        assertThat(http("static.test", "/.well-known/security.txt").status()).isEqualTo(404);

        Path archive = Files.createTempDirectory("vip-site-archive-");
        try {
            Path folder = Files.createDirectories(archive.resolve("site-main"));
            Files.writeString(folder.resolve("index.html"), "<h1>static v2 from an archive</h1>\n");
            Process tar = new ProcessBuilder("tar", "-czf", archive.resolve("site.tar.gz").toString(), "-C", archive.toString(), "site-main")
                    .redirectErrorStream(true).start();
            assertThat(tar.waitFor()).isZero();
            Map<String, Object> vars = deploy(ALPHA, R2, "static", List.of("test -f index.html", "test ! -e site-main"), List.of(), null, "none");
            vars.put("deploy_source", "archive");
            vars.put("deploy_archive", archive.resolve("site.tar.gz").toString());
            PlaybookResult fromArchive = ok("site-deploy.yml", vars);
            assertThat(fromArchive.outputs()).containsEntry("release", R2).containsEntry("previous_release", R1)
                    .containsEntry("commit", "").containsEntry("releases", List.of(R2)).containsEntry("pruned", List.of(R1));
        } finally {
            new ProcessBuilder("rm", "-rf", archive.toString()).start().waitFor();
        }
        assertThat(http("static.test", "/").body()).contains("static v2 from an archive");
        assertThat(exec("ls /home/alpha/site/releases; readlink /home/alpha/site/current")).isEqualTo(R2 + "\nreleases/" + R2 + "\n");
    }

    @Test
    @Order(2)
    void aPhpSiteRunsInItsOwnPoolWithItsEnvironment() throws Exception {
        BRAVO.put("site_keep_releases", 3);
        PlaybookResult created = ok("site.yml", present(BRAVO));
        String pool = "/etc/php/" + phpVersion + "/fpm/pool.d/vip-bravo.conf";
        assertThat(created.outputs()).containsEntry("pool", pool);
        assertThat(exec("cat " + pool)).contains("[bravo]", "user = bravo", "listen = /run/php/vip-bravo.sock", "pm = ondemand",
                "open_basedir] = /home/bravo/site/:/home/bravo/tmp/");

        PlaybookResult deployed = ok("site-deploy.yml", deploy(BRAVO, R1, "php",
                List.of("test -n \"$APP_MARK\"", "mkdir -p storage/logs && echo \"built $VIP_RELEASE\" > build.txt"),
                List.of(".env", "storage"), "APP_MARK=from-env\nAPP_NAME=\"Bravo Site\"\n", "php-fpm"));
        assertThat(deployed.outputs()).containsEntry("restarted", "php" + phpVersion + "-fpm (reloaded)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) deployed.outputs().get("steps");
        assertThat(steps).extracting(step -> step.get("step")).containsExactly("test -n \"$APP_MARK\"",
                "mkdir -p storage/logs && echo \"built $VIP_RELEASE\" > build.txt");
        assertThat(steps).allSatisfy(step -> assertThat(((Number) step.get("millis")).longValue()).isNotNegative());
        assertThat(exec("stat -c '%a %U' /home/bravo/site/shared/.env; readlink /home/bravo/site/current/.env /home/bravo/site/current/storage;"
                + " cat /home/bravo/site/current/build.txt; test -d /home/bravo/site/shared/storage/logs && echo shared-storage"))
                .isEqualTo("600 bravo\n/home/bravo/site/shared/.env\n/home/bravo/site/shared/storage\nbuilt " + R1 + "\nshared-storage\n");

        Http page = waitFor("php.test", "/", "release:v1");
        assertThat(page.body()).contains("user:bravo", "mark:env-file");
        assertThat(exec("ps -o user= -C php-fpm" + phpVersion + " | sort -u")).contains("bravo");
    }

    @Test
    @Order(3)
    void aRedeployUnderLoadFailsNoRequestAndNeverGoesBack() throws Exception {
        commit("php", Map.of("index.php", "<?php\necho 'release:v2', \"\\n\";\n"), "PHP v2");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger requests = new AtomicInteger();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Integer, List<String>> seen = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int id = i;
            seen.put(id, new ArrayList<>());
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                String last = "";
                while (!stop.get()) {
                    try {
                        Http response = http("php.test", "/");
                        requests.incrementAndGet();
                        String release = response.body().lines().findFirst().orElse("");
                        if (response.status() != 200 || !release.startsWith("release:")) {
                            problems.add(response.status() + " " + response.body().strip());
                        } else if (!release.equals(last)) {
                            seen.get(id).add(release);
                            last = release;
                        }
                        // a steady load, not a CPU race with the deploy (two cores run the host and the panel side)
                        Thread.sleep(2);
                    } catch (IOException e) {
                        problems.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(500);
        long start = System.nanoTime();
        PlaybookResult deployed = ok("site-deploy.yml", deploy(BRAVO, R2, "php", List.of("true"), List.of(".env", "storage"), null, "php-fpm"));
        long deployMillis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(1500);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("[zero downtime] %d requests from 4 threads during a %d ms deploy, %d failed%n", requests.get(),
                deployMillis, problems.size());
        assertThat(problems).as("failed requests").isEmpty();
        assertThat(seen.values()).allSatisfy(sequence -> assertThat(sequence).containsExactly("release:v1", "release:v2"));
        assertThat(deployed.outputs()).containsEntry("releases", List.of(R2, R1)).containsEntry("previous_release", R1);
    }

    @Test
    @Order(4)
    void aRollbackServesTheOldReleaseAndAFailedStepLeavesItServing() throws Exception {
        PlaybookResult rolledBack = ok("site-rollback.yml", with(BRAVO, Map.of("rollback_release", R1)));
        assertThat(rolledBack.outputs()).containsEntry("release", R1).containsEntry("previous_release", R2)
                .containsEntry("releases", List.of(R2, R1));
        assertThat(http("php.test", "/").body()).startsWith("release:v1");

        PlaybookResult failed = run("site-deploy.yml", deploy(BRAVO, R3, "php", List.of("echo building", "echo broken >&2; exit 3",
                "echo never"), List.of(".env", "storage"), null, "php-fpm"));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.failedTask()).isEqualTo("site : Run deploy step 2: echo broken >&2; exit 3.");
        assertThat(failed.failureMessage()).contains("broken");
        assertThat(failed.tasks()).extracting(TaskResult::name).doesNotContain("site : Run deploy step 3: echo never.");
        assertThat(exec("ls /home/bravo/site/releases; readlink /home/bravo/site/current")).isEqualTo(R1 + "\n" + R2 + "\nreleases/" + R1 + "\n");
        assertThat(http("php.test", "/").body()).startsWith("release:v1");

        PlaybookResult missing = run("site-rollback.yml", with(BRAVO, Map.of("rollback_release", "20250101000000")));
        assertThat(missing.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(missing.failureMessage()).contains("release 20250101000000 does not exist", R2 + ", " + R1);
    }

    @Test
    @Order(5)
    void nginxDirectivesNginxRefusesChangeNothing() throws Exception {
        ok("site.yml", present(with(ALPHA, Map.of("site_nginx_custom", "add_header X-Vip-Custom \"on\" always;"))));
        assertThat(http("static.test", "/").headers()).containsEntry("x-vip-custom", "on");
        String vhost = exec("cat /etc/nginx/sites-available/vip-site_alpha.conf /etc/nginx/vip-custom/site_alpha.conf");

        PlaybookResult refused = run("site.yml", present(with(ALPHA, Map.of("site_nginx_custom", "this_is_not_a_directive on;",
                "site_aliases", List.of("www.static.test", "new.static.test")))));
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.failedTask()).isEqualTo("site : Validate the nginx configuration.");
        assertThat(refused.failureMessage()).contains("unknown directive \"this_is_not_a_directive\"");
        assertThat(exec("cat /etc/nginx/sites-available/vip-site_alpha.conf /etc/nginx/vip-custom/site_alpha.conf")).isEqualTo(vhost);
        assertThat(exec("ls /etc/nginx/sites-available /etc/nginx/vip-custom | grep -c '~$' || true").strip()).isEqualTo("0");
        assertThat(http("static.test", "/").headers()).containsEntry("x-vip-custom", "on");
        assertThat(http("php.test", "/").body()).startsWith("release:v1");

        Map<String, Object> delta = site("site_delta", "delta", "static", "delta.test", "");
        delta.put("site_nginx_custom", "location / {\n    this_is_not_a_directive on;\n}\n");
        PlaybookResult refusedNew = run("site.yml", present(delta));
        assertThat(refusedNew.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refusedNew.failedTask()).isEqualTo("site : Validate the nginx configuration.");
        assertThat(exec("ls /etc/nginx/sites-available /etc/nginx/sites-enabled /etc/nginx/vip-custom")).doesNotContain("delta");
        PlaybookResult escape = run("site.yml", present(with(delta, Map.of("site_nginx_custom",
                "}\nserver { listen 80; server_name static.test; return 200 hijacked; }\nserver {"))));
        assertThat(escape.failedTask()).isEqualTo("site : Validate the nginx configuration.");
        assertThat(escape.failureMessage()).contains("unexpected \"}\"");
        assertThat(http("static.test", "/").body()).contains("static v2");
        assertThat(exec("ls /etc/nginx/sites-available /etc/nginx/sites-enabled /etc/nginx/vip-custom")).doesNotContain("delta");
        ok("site.yml", with(delta, Map.of("site_state", "absent", "site_deploy_key", "", "site_deploy_public_key", "", "site_databases", List.of())));
    }

    @Test
    @Order(6)
    void oneSiteCannotReadAnother() throws Exception {
        ok("site-deploy.yml", deploy(ALPHA, R3, "static", List.of(), List.of(".env"), "ALPHA_SECRET=s3cret\n", "none"));
        String other = "/home/alpha/site/current/index.html";
        Map<String, String> checks = new LinkedHashMap<>();
        for (String path : List.of(other, "/home/alpha/site/shared/.env", "/home/alpha/site/current/.env", "/etc/passwd",
                "/home/bravo/site/current/index.php")) {
            checks.put(path, http("php.test", "/check.php?p=" + URLEncoder.encode(path, StandardCharsets.UTF_8)).body());
        }
        assertThat(checks).containsEntry(other, "{\"readable\":false,\"read\":false}")
                .containsEntry("/home/alpha/site/shared/.env", "{\"readable\":false,\"read\":false}")
                .containsEntry("/home/alpha/site/current/.env", "{\"readable\":false,\"read\":false}")
                .containsEntry("/etc/passwd", "{\"readable\":false,\"read\":false}")
                .containsEntry("/home/bravo/site/current/index.php", "{\"readable\":true,\"read\":true}");
        // without open_basedir too: the file permissions alone keep the sites apart, while nginx reads both
        assertThat(exec("runuser -u bravo -- cat " + other + " 2>&1; echo rc=$?")).contains("Permission denied", "rc=1");
        assertThat(exec("runuser -u bravo -- cat /home/alpha/site/shared/.env 2>&1; echo rc=$?")).contains("Permission denied", "rc=1");
        assertThat(exec("runuser -u alpha -- cat /home/bravo/site/shared/.env 2>&1; echo rc=$?")).contains("Permission denied", "rc=1");
        assertThat(exec("runuser -u www-data -- cat /home/bravo/site/shared/.env 2>&1; echo rc=$?")).contains("Permission denied", "rc=1");
        assertThat(exec("runuser -u www-data -- cat " + other)).contains("static v1");
        assertThat(exec("runuser -u alpha -- cat /home/alpha/site/shared/.env")).isEqualTo("ALPHA_SECRET=s3cret\n");
    }

    @Test
    @Order(7)
    void aSuspendedSiteAnswers503UntilItIsPresentAgain() throws Exception {
        PlaybookResult suspended = ok("site.yml", with(present(ALPHA), Map.of("site_state", "suspended")));
        assertThat(suspended.outputs()).containsEntry("vhost", "/etc/nginx/sites-available/vip-site_alpha.conf");
        for (String host : List.of("static.test", "www.static.test")) {
            Http page = http(host, "/");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.body()).contains("This site is suspended");
            assertThat(page.headers()).containsEntry("content-type", "text/html; charset=utf-8");
        }
        assertThat(http("php.test", "/").status()).isEqualTo(200);

        ok("site.yml", present(ALPHA));
        assertThat(http("static.test", "/").body()).contains("static v1");
        assertThat(http("www.static.test", "/").status()).isEqualTo(301);
        PlaybookResult again = ok("site.yml", present(ALPHA));
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();
    }

    @Test
    @Order(8)
    void theWafDetectsThenBlocks() throws Exception {
        String attack = "/?q=" + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8);
        PlaybookResult detect = ok("site.yml", present(with(BRAVO, Map.of("site_waf", "detect"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> waf = (Map<String, Object>) detect.outputs().get("waf");
        assertThat(waf).containsEntry("available", true);
        assertThat((String) waf.get("note")).contains("DetectionOnly");
        assertThat(exec("cat /etc/nginx/vip-modsec/site_bravo.conf")).contains("SecRuleEngine DetectionOnly",
                "Include /usr/share/modsecurity-crs/rules/*.conf", "Include /etc/modsecurity/crs/crs-setup.conf");
        Http detected = http("php.test", attack);
        assertThat(detected.status()).isEqualTo(200);
        assertThat(detected.body()).startsWith("release:v1");
        assertThat(exec("cat /home/bravo/logs/error.log /home/bravo/logs/modsec_audit.log 2>/dev/null")).contains("XSS");

        PlaybookResult block = ok("site.yml", present(with(BRAVO, Map.of("site_waf", "block"))));
        assertThat(((Map<?, ?>) block.outputs().get("waf")).get("note").toString()).contains("SecRuleEngine On");
        assertThat(http("php.test", attack).status()).isEqualTo(403);
        assertThat(http("php.test", "/").status()).isEqualTo(200);
        assertThat(http("static.test", "/" + attack.substring(1)).status()).as("a site without the WAF").isEqualTo(200);
        PlaybookResult again = ok("site.yml", present(with(BRAVO, Map.of("site_waf", "block"))));
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();
    }

    @Test
    @Order(9)
    void aNodeSiteIsProxiedWithWebSocketUpgrades() throws Exception {
        CHARLIE.put("site_app_port", 3107);
        ok("site.yml", present(CHARLIE));
        PlaybookResult deployed = ok("site-deploy.yml", deploy(CHARLIE, R1, "node",
                List.of("npm ci --offline --no-audit --no-fund --no-update-notifier"), List.of(".env"), "NODE_ENV=production\n", "node"));
        assertThat(deployed.outputs()).containsEntry("restarted", "");
        // the workers playbook runs the app under supervisor or systemd; here it is started by hand to test the proxy
        must("cd /home/charlie/site/current && runuser -u charlie -- env PORT=3107 nohup node server.js > /home/charlie/tmp/node.log 2>&1 &");
        Http page = waitFor("node.test", "/", "node ok");
        assertThat(page.body()).contains("node ok " + server.panelAddress());
        assertThat(page.headers()).containsEntry("x-frame-options", "SAMEORIGIN");
        assertThat(http("node.test", "/app.css").headers()).containsKey("expires");
        assertThat(http("node.test", "/server.js").body()).as("the release root is not served").startsWith("node ok");

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 3000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /socket HTTP/1.1\r\nHost: node.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 101").contains("ws-upgraded:websocket:upgrade");
        }
    }

    @Test
    @Order(10)
    void anAbsentSiteLeavesNothingBehind() throws Exception {
        must("mariadb -e \"CREATE DATABASE bravo_app; CREATE USER 'bravo_app'@'localhost' IDENTIFIED BY 'Secret-Pass-123';"
                + " GRANT ALL ON bravo_app.* TO 'bravo_app'@'localhost'\""
                + " && printf '* * * * * bravo true\\n' > /etc/cron.d/vip-bravo"
                + " && mkdir -p /etc/supervisor/conf.d && printf '[program:vip-bravo-queue]\\ncommand=true\\n' > /etc/supervisor/conf.d/vip-bravo-queue.conf"
                + " && (runuser -u bravo -- sleep 300 > /dev/null 2>&1 &)");
        PlaybookResult removed = ok("site.yml", with(present(BRAVO), Map.of("site_state", "absent",
                "site_databases", List.of(Map.of("engine", "mariadb", "name", "bravo_app", "user", "bravo_app")))));
        String pool = "/etc/php/" + phpVersion + "/fpm/pool.d/vip-bravo.conf";
        assertThat(removed.outputs()).containsEntry("vhost", "").containsEntry("pool", "");
        assertThat(removed.outputs().get("removed")).isEqualTo(List.of(
                Map.of("what", "vhost", "name", "/etc/nginx/sites-available/vip-site_bravo.conf"),
                Map.of("what", "service", "name", "vip-bravo-queue"),
                Map.of("what", "cron", "name", "/etc/cron.d/vip-bravo"),
                Map.of("what", "pool", "name", pool),
                Map.of("what", "database", "name", "mariadb bravo_app"),
                Map.of("what", "database user", "name", "mariadb bravo_app"),
                Map.of("what", "user", "name", "bravo"),
                Map.of("what", "home", "name", "/home/bravo")));
        assertThat(exec("id bravo 2>&1; ls /home; ls /etc/nginx/sites-enabled /etc/nginx/vip-custom /etc/nginx/vip-modsec "
                + pool + " /etc/cron.d/vip-bravo /etc/supervisor/conf.d /etc/logrotate.d/vip-bravo 2>&1;"
                + " mariadb -N -e \"SHOW DATABASES LIKE 'bravo%'; SELECT user FROM mysql.user WHERE user LIKE 'bravo%'\"; pgrep -u bravo || true;"
                + " getent group bravo || echo no-group"))
                .contains("no such user", "no-group").doesNotContain("bravo_app", "vip-site_bravo", "site_bravo.conf", "vip-bravo-queue")
                .doesNotContainPattern("(?m)^bravo$");
        assertThat(http("php.test", "/").body()).contains("This server is up.");
        assertThat(http("static.test", "/").body()).contains("static v1");
        assertThat(http("node.test", "/").body()).contains("node ok");

        PlaybookResult again = ok("site.yml", with(present(BRAVO), Map.of("site_state", "absent")));
        assertThat(again.outputs()).containsEntry("removed", List.of());
        assertThat(again.recap().changed()).as(changedTasks(again)).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Map<String, Object> site(String id, String user, String type, String domain, String webRoot) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("site_id", id);
        vars.put("site_user", user);
        vars.put("site_type", type);
        vars.put("site_domain", domain);
        vars.put("site_aliases", List.of());
        vars.put("site_redirect_aliases", false);
        vars.put("site_web_root", webRoot);
        vars.put("site_php_version", "");
        vars.put("site_app_port", 0);
        vars.put("site_keep_releases", 5);
        vars.put("site_waf", "off");
        vars.put("site_nginx_custom", "");
        return vars;
    }

    private static Map<String, Object> with(Map<String, Object> vars, Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(vars);
        all.putAll(more);
        return all;
    }

    private static Map<String, Object> present(Map<String, Object> site) {
        return with(with(Map.of("site_state", "present", "site_deploy_key", "", "site_deploy_public_key", "", "site_databases", List.of()),
                Map.of()), site);
    }

    private static Map<String, Object> deploy(Map<String, Object> site, String release, String repository, List<String> steps,
                                              List<String> sharedPaths, String env, String restart) {
        Map<String, Object> vars = new LinkedHashMap<>(site);
        vars.put("deploy_release", release);
        vars.put("deploy_source", "git");
        vars.put("deploy_repository", "file:///srv/repos/" + repository + ".git");
        vars.put("deploy_branch", "main");
        vars.put("deploy_steps", steps);
        vars.put("deploy_shared_paths", sharedPaths);
        vars.put("deploy_restart", restart);
        if (env != null) {
            vars.put("deploy_env", env);
        }
        return vars;
    }

    /** Commits the files to /srv/repos/&lt;name&gt;.git (created on first use, readable by every site user). */
    private static void commit(String name, Map<String, String> files, String message) throws IOException {
        String work = "/srv/work/" + name;
        must("test -d /srv/repos/" + name + ".git || (git init -q --bare /srv/repos/" + name + ".git && git init -q " + work
                + " && git -C " + work + " remote add origin /srv/repos/" + name + ".git)");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = server.file(work + "/" + file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        must("cd " + work + " && git add -A && git commit -qm '" + message + "' && git push -q origin HEAD:main && chmod -R a+rX /srv/repos");
    }

    private static PlaybookResult ok(String playbook, Map<String, Object> vars) {
        RunWatcher watcher = new RunWatcher(Path.of("automation"), playbook);
        PlaybookResult result = run(playbook, vars, watcher);
        assertThat(result.outcome()).as(diagnose(result, watcher)).isEqualTo(Outcome.SUCCEEDED);
        return result;
    }

    private static PlaybookResult run(String playbook, Map<String, Object> vars) {
        return run(playbook, vars, new RunWatcher(Path.of("automation"), playbook));
    }

    private static PlaybookResult run(String playbook, Map<String, Object> vars, RunWatcher watcher) {
        Set<String> secrets = new java.util.HashSet<>();
        for (String name : List.of("deploy_env", "site_deploy_key")) {
            if (vars.get(name) instanceof String value && !value.isEmpty()) {
                secrets.add(name);
            }
        }
        long start = System.nanoTime();
        PlaybookResult result = runner.run(new PlaybookRun(playbook, login(ADMIN), panelKey.privateKey(), new HashMap<>(vars), secrets,
                Duration.ofMinutes(4)), watcher);
        String step = playbook + " " + vars.getOrDefault("site_state", "") + " (" + vars.get("site_user") + ")";
        time(step, start);
        System.out.printf("[run] %-45s %-9s changed=%-3d %6d ms, slowest: %s%n", step, result.outcome(), result.recap().changed(),
                (System.nanoTime() - start) / 1_000_000, slowestTasks(watcher));
        return result;
    }

    private record Http(int status, Map<String, String> headers, String body) {
    }

    /** One HTTP/1.0 request to the host's nginx with the given Host header (the sites' names resolve nowhere). */
    private static Http http(String host, String path, String... extraHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.address(), 80), 3000);
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.0\r\nHost: " + host
                    + "\r\nUser-Agent: vip-site-test\r\nAccept: */*\r\n");
            for (String header : extraHeaders) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete HTTP answer: " + raw);
            }
            List<String> head = raw.substring(0, end).lines().toList();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            String body = new String(raw.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return new Http(Integer.parseInt(head.getFirst().split(" ")[1]), headers, body);
        }
    }

    private static Http waitFor(String host, String path, String content) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Http last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http(host, path);
                if (last.status() == 200 && last.body().contains(content)) {
                    return last;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("http://" + host + path + " never answered with " + content + "; last: " + last);
    }

    private static String exec(String command) {
        return server.exec(command).output();
    }

    /** Runs a setup command in the host; it must succeed. */
    private static void must(String command) {
        TestManagedServer.ExecResult result = server.exec(command);
        assertThat(result.succeeded()).as(command + "\n" + result.output()).isTrue();
    }

    private static ManagedHost login(String user) {
        return new ManagedHost(server.address(), server.port(), user, server.hostKeyLine() + "\n");
    }

    private static String changedTasks(PlaybookResult result) {
        return "changed: " + result.tasks().stream().filter(task -> task.status().equals("changed")).map(TaskResult::name)
                .collect(Collectors.joining(", "));
    }

    private static String diagnose(PlaybookResult result, RunWatcher watcher) {
        return "failed task: " + result.failedTask() + "\n" + result.failureMessage() + "\n" + changedTasks(result)
                + "\n--- output ---\n" + watcher.text() + "\n--- test host ---\n" + server.log();
    }

    /** The three tasks that took longest (from their TASK line to the next one). */
    private static String slowestTasks(RunWatcher watcher) {
        List<RunWatcher.Line> tasks = watcher.lines.stream().filter(line -> line.text().startsWith("TASK [")).toList();
        Map<String, Long> millis = new LinkedHashMap<>();
        for (int i = 0; i + 1 < tasks.size(); i++) {
            millis.merge(tasks.get(i).text(), (tasks.get(i + 1).nanos() - tasks.get(i).nanos()) / 1_000_000, Long::sum);
        }
        return millis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(entry -> entry.getValue() + " ms " + entry.getKey()).collect(Collectors.joining(", "));
    }

    private static void time(String step, long startNanos) {
        TIMINGS.merge(step, (System.nanoTime() - startNanos) / 1_000_000, Long::sum);
    }
}
