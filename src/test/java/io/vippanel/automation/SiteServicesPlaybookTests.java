package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vippanel.automation.PlaybookResult.TaskResult;
import io.vippanel.support.TestManagedServer;
import io.vippanel.support.TestManagedServer.ExecResult;
import io.vippanel.support.TestManagedServer.PanelKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site service playbooks (site-databases.yml, site-env.yml, site-cron.yml, site-cron-output.yml,
 * site-workers.yml) run through {@link PlaybookRunner} against a provisioned {@link TestManagedServer}, and checked
 * inside the host: logins to the databases over TCP, file owners and modes, a cron line run as cron runs it, the
 * processes' users and PIDs, the Node.js app answering on its port. The host has no systemd, so the processes run
 * under supervisor; the systemd unit is rendered from the role's template and checked with systemd-analyze on this
 * machine (nothing is started). The site users and their folders are a fixture here (site.yml makes them on servers).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteServicesPlaybookTests {

    private static final String ADMIN = ProvisioningPlaybookTests.ADMIN;
    private static final String SITE = "shop_one";
    private static final String OTHER = "blog_two";
    private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();

    private static TestManagedServer server;
    private static PanelKey panelKey;
    private static PlaybookRunner runner;
    private static String phpVersion;

    @BeforeAll
    static void provisionServerAndSites() throws Exception {
        TestManagedServer.assumeUsable();
        TestSshHost.assumeUsable(true);
        phpVersion = ProvisioningPlaybookTests.distroPhpVersion();
        long start = System.nanoTime();
        server = TestManagedServer.start();
        panelKey = TestManagedServer.newPanelKey("panel@test");
        server.installAuthorizedKey(panelKey.publicKey());
        runner = new PlaybookRunner(Path.of("automation"), "ansible-playbook", Duration.ofMinutes(10), Duration.ofSeconds(10));
        RunWatcher watcher = new RunWatcher(Path.of("automation"), "provision-server.yml");
        PlaybookResult provisioned = runner.run(new PlaybookRun("provision-server.yml",
                new ManagedHost(server.address(), server.port(), "root", server.hostKeyLine() + "\n"), panelKey.privateKey(),
                ProvisioningPlaybookTests.provisionVars(server, panelKey, phpVersion, "mariadb", false),
                Set.of("database_root_password"), Duration.ofMinutes(8)), watcher);
        assertThat(provisioned.outcome()).as(diagnose(provisioned, watcher)).isEqualTo(Outcome.SUCCEEDED);
        time("test host up and provisioned", start);
        for (String user : List.of(SITE, OTHER)) {
            // what site.yml leaves on a server: the user, its 0750 home and one release as current
            check(server.exec("useradd --user-group --create-home --home-dir /home/" + user + " --shell /bin/bash " + user
                    + " && chmod 0750 /home/" + user
                    + " && install -d -o " + user + " -g " + user + " -m 0750 /home/" + user + "/site /home/" + user
                    + "/site/releases /home/" + user + "/site/releases/r1 /home/" + user + "/site/shared"
                    + " && ln -s releases/r1 /home/" + user + "/site/current && chown -h " + user + ":" + user + " /home/"
                    + user + "/site/current"), "creating the site user " + user);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            long start = System.nanoTime();
            server.close();
            time("test host down", start);
            assertThat(server.leftovers()).as("what the test host left on the machine").isEmpty();
        }
        TIMINGS.forEach((step, millis) -> System.out.printf("[timing] %-45s %6d ms%n", step, millis));
    }

    @Test
    @Order(1)
    void databasesAreCreatedForTheirUserOnlyGetNewPasswordsAndAreDropped() {
        List<Map<String, Object>> databases = List.of(database("shop_db", "shop_usr", "present"),
                database("shopxdb", "other_usr", "present"));
        Map<String, Object> passwords = Map.of("shop_usr", "Shop-Pass-1-x7Q", "other_usr", "Other-Pass-2-k9W");

        PlaybookResult created = site("site-databases.yml", databaseVars("mariadb", databases, passwords));
        assertThat(created.outputs()).containsEntry("databases", Map.of("shop_db", "present", "shopxdb", "present"));
        assertThat(mariadb("shop_usr", "Shop-Pass-1-x7Q", "CREATE TABLE shop_db.t (i INT); INSERT INTO shop_db.t VALUES (42);"
                + " SELECT i FROM shop_db.t")).isEqualTo(new ExecResult(0, "42\n"));
        // _ is a wildcard in GRANT ... ON db.*: shop_db's grant must not reach shopxdb
        assertThat(mariadb("shop_usr", "Shop-Pass-1-x7Q", "SHOW DATABASES").output().lines().toList())
                .containsExactlyInAnyOrder("information_schema", "shop_db");
        assertThat(mariadb("shop_usr", "Shop-Pass-1-x7Q", "SELECT COUNT(*) FROM shopxdb.nothing").output()).contains("denied");
        assertThat(mariadb("other_usr", "Other-Pass-2-k9W", "SELECT i FROM shop_db.t").output()).contains("denied");

        assertUnchanged(site("site-databases.yml", databaseVars("mariadb", databases, passwords)));

        PlaybookResult changed = site("site-databases.yml", databaseVars("mariadb", List.of(database("shop_db", "shop_usr", "present")),
                Map.of("shop_usr", "Shop-Pass-NEW-4mZ")));
        assertThat(changed.recap().changed()).isPositive();
        assertThat(mariadb("shop_usr", "Shop-Pass-NEW-4mZ", "SELECT i FROM shop_db.t").output()).isEqualTo("42\n");
        assertThat(mariadb("shop_usr", "Shop-Pass-1-x7Q", "SELECT 1").output()).contains("Access denied");

        PlaybookResult dropped = site("site-databases.yml", databaseVars("mariadb",
                List.of(database("shop_db", "shop_usr", "absent"), database("shopxdb", "other_usr", "absent")), Map.of()));
        assertThat(dropped.outputs()).containsEntry("databases", Map.of("shop_db", "absent", "shopxdb", "absent"));
        assertThat(server.exec("mariadb -N -e \"SHOW DATABASES LIKE 'shop%'; SELECT user FROM mysql.user WHERE user IN"
                + " ('shop_usr', 'other_usr')\"").output()).isEmpty();

        PlaybookResult refused = run("site-databases.yml", databaseVars("mariadb", List.of(database("Shop-DB", "shop_usr", "present")),
                Map.of("shop_usr", "Shop-Pass-1-x7Q")), Set.of("database_passwords"));
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.failureMessage()).contains("refused: Shop-DB");
    }

    @Test
    @Order(2)
    void postgresqlDatabasesBelongToTheirUserOnly() {
        // the host's own cluster, as provision-server.yml makes it (private /etc/postgresql, /var/lib/postgresql, /run)
        ExecResult cluster = server.exec("ls /usr/lib/postgresql | sort -n | tail -1");
        check(server.exec("pg_createcluster " + cluster.output().strip() + " main --start >/dev/null"), "creating a PostgreSQL cluster");
        List<Map<String, Object>> databases = List.of(database("shop_pg", "shop_pgu", "present"), database("blog_pg", "blog_pgu", "present"));
        Map<String, Object> passwords = Map.of("shop_pgu", "Pg-Shop-Pass-3xQ", "blog_pgu", "Pg-Blog-Pass-8hW");

        PlaybookResult created = site("site-databases.yml", databaseVars("postgresql", databases, passwords));
        assertThat(created.outputs()).containsEntry("databases", Map.of("shop_pg", "present", "blog_pg", "present"));
        assertThat(psql("shop_pgu", "Pg-Shop-Pass-3xQ", "shop_pg", "CREATE TABLE t (i int); INSERT INTO t VALUES (42); SELECT i FROM t"))
                .isEqualTo(new ExecResult(0, "42\n"));
        assertThat(psql("blog_pgu", "Pg-Blog-Pass-8hW", "shop_pg", "SELECT 1").output()).contains("permission denied for database");
        assertUnchanged(site("site-databases.yml", databaseVars("postgresql", databases, passwords)));

        site("site-databases.yml", databaseVars("postgresql", List.of(database("shop_pg", "shop_pgu", "present")),
                Map.of("shop_pgu", "Pg-Shop-NEW-9zK")));
        assertThat(psql("shop_pgu", "Pg-Shop-NEW-9zK", "shop_pg", "SELECT i FROM t").output()).isEqualTo("42\n");
        assertThat(psql("shop_pgu", "Pg-Shop-Pass-3xQ", "shop_pg", "SELECT 1").output()).contains("password authentication failed");

        site("site-databases.yml", databaseVars("postgresql", List.of(database("shop_pg", "shop_pgu", "absent"),
                database("blog_pg", "blog_pgu", "absent")), Map.of()));
        assertThat(server.exec("runuser -u postgres -- psql -tAc \"SELECT datname FROM pg_database WHERE datname LIKE '%_pg'"
                + " UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE '%_pgu'\"")).isEqualTo(new ExecResult(0, ""));
    }

    @Test
    @Order(3)
    void theEnvironmentFileBelongsToTheSiteUserAlone() {
        String env = "APP_NAME=\"My Shop\"\nAPP_KEY=base64:c2VjcmV0LWtleQ==\nGREETING=hello from env\n# no newline at the end";
        PlaybookResult written = site("site-env.yml", envVars(env, false));
        assertThat(written.outputs()).containsEntry("written", true);
        assertThat(server.exec("cat /home/shop_one/site/shared/.env").output()).isEqualTo(env);
        assertThat(server.exec("stat -c '%a %U %G' /home/shop_one/site/shared/.env").output()).isEqualTo("600 shop_one shop_one\n");
        assertThat(server.exec("runuser -u blog_two -- cat /home/shop_one/site/shared/.env").exitCode()).isNotZero();

        PlaybookResult again = assertUnchanged(site("site-env.yml", envVars(env, true)));
        assertThat(again.outputs()).containsEntry("written", false);

        // a link the site put in place of .env is replaced, never followed as root
        check(server.exec("ln -sf /etc/shadow /home/shop_one/site/shared/.env && chown -h shop_one:shop_one /home/shop_one/site/shared/.env"), "ln");
        PlaybookResult replaced = site("site-env.yml", envVars(env, true));
        assertThat(replaced.outputs()).containsEntry("written", true);
        assertThat(replaced.tasks()).filteredOn(task -> task.status().equals("changed")).extracting(TaskResult::name)
                .anyMatch(name -> name.endsWith("Reload the site's PHP-FPM."));
        assertThat(server.exec("stat -c '%F %a %U' /home/shop_one/site/shared/.env").output()).isEqualTo("regular file 600 shop_one\n");
        assertThat(server.exec("head -c 5 /etc/shadow").output()).isEqualTo("root:");
    }

    @Test
    @Order(4)
    void cronJobsRunAsTheSiteUserInTheCurrentReleaseAndKeepTheirOutput() throws Exception {
        Map<String, Object> report = Map.of("id", "report", "expression", "0 3 * * *",
                "command", "echo \"year $(date +%Y)\" && pwd && id -un && echo oops >&2 && exit 3");
        Map<String, Object> cleanup = Map.of("id", "cleanup", "expression", "@daily", "command", "find . -name '*.tmp' -delete");

        PlaybookResult written = site("site-cron.yml", Map.of("cron_jobs", List.of(report, cleanup)));
        assertThat(written.outputs()).containsEntry("cron_file", "/etc/cron.d/vip-shop_one");
        assertThat(server.exec("stat -c '%a %U' /etc/cron.d/vip-shop_one /usr/local/lib/vip-panel/cron-run").output())
                .isEqualTo("644 root\n755 root\n");
        String cronFile = server.exec("cat /etc/cron.d/vip-shop_one").output();
        assertThat(cronFile).contains("MAILTO=\"\"", "@daily shop_one /usr/local/lib/vip-panel/cron-run /home/shop_one cleanup"
                + " 'find . -name '\"'\"'*.tmp'\"'\"' -delete'");
        assertUnchanged(site("site-cron.yml", Map.of("cron_jobs", List.of(report, cleanup))));

        PlaybookResult never = site("site-cron-output.yml", Map.of("cron_id", "report"));
        assertThat(never.outputs()).containsEntry("output", "").containsEntry("exit_code", -1L).containsEntry("finished_at", "");

        // as cron would: the command part of the line, \% turned into %, run by /bin/sh as the user with cron's variables
        String line = cronFile.lines().filter(each -> each.startsWith("0 3 * * * ")).findFirst().orElseThrow();
        String command = line.split(" ", 7)[6];
        assertThat(command).doesNotContainPattern("[^\\\\]%");
        Files.writeString(server.file("/tmp/cron-line"), command.replace("\\%", "%"));
        ExecResult ran = server.exec("env -i HOME=/home/shop_one LOGNAME=shop_one SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin"
                + " /usr/sbin/runuser -u shop_one -- /bin/sh -c \"$(cat /tmp/cron-line)\"");
        assertThat(ran.exitCode()).as(ran.output()).isEqualTo(3);

        PlaybookResult output = site("site-cron-output.yml", Map.of("cron_id", "report"));
        assertThat(output.outputs()).containsEntry("exit_code", 3L);
        assertThat((String) output.outputs().get("output")).contains("year " + Year.now(ZoneOffset.UTC), "/home/shop_one/site/releases/r1",
                "shop_one", "oops");
        Instant finished = Instant.parse((String) output.outputs().get("finished_at"));
        assertThat(finished).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(5));

        PlaybookResult replaced = site("site-cron.yml", Map.of("cron_jobs", List.of(cleanup)));
        assertThat(replaced.recap().changed()).isPositive();
        assertThat(server.exec("cat /etc/cron.d/vip-shop_one").output()).contains("cleanup").doesNotContain("report");
        assertThat(server.exec("ls -A /home/shop_one/.vip/cron").output()).as("records of the removed job").isEmpty();

        PlaybookResult emptied = site("site-cron.yml", Map.of("cron_jobs", List.of()));
        assertThat(emptied.outputs()).containsEntry("cron_file", "");
        assertThat(server.exec("test -e /etc/cron.d/vip-shop_one").exitCode()).isNotZero();

        PlaybookResult refused = run("site-cron.yml", siteVars(Map.of("cron_jobs", List.of(Map.of("id", "evil", "expression", "* * * * *",
                "command", "true\n* * * * * root touch /pwned")))), Set.of());
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(server.exec("test -e /etc/cron.d/vip-shop_one").exitCode()).isNotZero();
    }

    @Test
    @Order(5)
    void workersAndTheNodeAppRunAsTheSiteUserRestartAndGoAway() throws Exception {
        site("site-env.yml", envVars("GREETING=hello from env\nPORT=9999\n", false));
        Map<String, Object> queue = Map.of("id", "queue", "processes", 2, "command", List.of("php", "-r",
                "file_put_contents(getenv('HOME') . '/queue-' . getmypid(), getenv('GREETING') . ' in ' . getcwd()); while (true) { sleep(1); }"));
        Map<String, Object> node = Map.of("command", List.of("node", "-e",
                "require('http').createServer((q, s) => s.end(process.env.GREETING + ' on ' + process.env.PORT)).listen(process.env.PORT, '127.0.0.1')"));

        PlaybookResult started = site("site-workers.yml", workerVars(List.of(queue), node, ""));
        assertThat(started.outputs()).containsEntry("manager", "supervisor")
                .containsEntry("workers", Map.of("queue", "active", "node", "active"));
        List<String> queuePids = pids("queue-");
        assertThat(queuePids).hasSize(2);
        assertThat(server.exec("ps -o user= -p " + String.join(",", queuePids)).output().lines().toList()).containsOnly(SITE);
        assertThat(server.exec("cat /home/shop_one/queue-" + queuePids.get(0)).output()).isEqualTo("hello from env in /home/shop_one/site/releases/r1");
        // PORT comes from the panel (site_app_port), not from .env
        assertThat(server.exec("curl -s http://127.0.0.1:3100/").output()).isEqualTo("hello from env on 3100");
        String nodePid = nodePid();

        assertUnchanged(site("site-workers.yml", workerVars(List.of(queue), node, "")));

        PlaybookResult restarted = site("site-workers.yml", workerVars(List.of(queue), node, "queue"));
        assertThat(restarted.outputs()).containsEntry("workers", Map.of("queue", "active", "node", "active"));
        assertThat(pids("queue-")).hasSize(2).doesNotContainAnyElementsOf(queuePids);
        assertThat(nodePid()).isEqualTo(nodePid);

        PlaybookResult reloaded = site("site-env.yml", envVars("GREETING=hello again\n", true));
        assertThat(reloaded.outputs()).containsEntry("written", true);
        assertThat(nodePid()).isNotEqualTo(nodePid);
        assertThat(waitFor(() -> server.exec("curl -s http://127.0.0.1:3100/").output(), "hello again on 3100")).isTrue();

        Map<String, Object> broken = Map.of("id", "broken", "processes", 1, "command", List.of("/bin/false"));
        Map<String, Object> oneQueue = Map.of("id", "queue", "processes", 1, "command", queue.get("command"));
        PlaybookResult changed = site("site-workers.yml", workerVars(List.of(oneQueue, broken), Map.of(), ""));
        assertThat(changed.outputs()).containsEntry("workers", Map.of("queue", "active", "broken", "failed"));
        assertThat(pids("queue-")).hasSize(1);
        assertThat(waitFor(() -> server.exec("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3100/").output(), "000"))
                .as("the Node.js app is stopped").isTrue();

        PlaybookResult removed = site("site-workers.yml", workerVars(List.of(), Map.of(), ""));
        assertThat(removed.outputs()).containsEntry("workers", Map.of());
        assertThat(pids("queue-")).isEmpty();
        assertThat(server.exec("ls /etc/supervisor/conf.d").output()).doesNotContain("vip-shop_one");

        PlaybookResult refused = run("site-workers.yml", siteVars(workerVars(List.of(Map.of("id", "empty", "processes", 1,
                "command", List.of())), Map.of(), "")), Set.of());
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.failureMessage()).contains("non-empty command");
    }

    /** The systemd path cannot run in the test host: its unit, rendered by the role's template, must pass systemd's check. */
    @Test
    @Order(6)
    void theSystemdUnitOfAWorkerPassesSystemdAnalyzeVerify(@TempDir Path folder) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is missing");
        Path vars = folder.resolve("vars.json");
        Files.writeString(vars, """
                {"site_user": "shop_one", "vip_site_program": {"id": "queue", "name": "vip-shop_one-queue", "processes": 2,
                 "argv": ["/usr/bin/env", "PORT=3100", "php", "-r", "echo \\"$HOME 100% done\\n\\"; // a \\\\ b ; # c", "--tab=\\t"]}}
                """);
        Path unit = folder.resolve("vip-shop_one-queue@.service");
        Path templates = Path.of("automation/roles/site-services/templates").toAbsolutePath();
        ExecResult rendered = command(List.of("ansible", "localhost", "--connection=local", "--inventory=localhost,",
                "--module-name=ansible.builtin.template", "--args=src=" + templates.resolve("worker.service.j2") + " dest=" + unit,
                "--extra-vars=@" + vars));
        assertThat(rendered.exitCode()).as(rendered.output()).isZero();
        String text = Files.readString(unit);
        assertThat(text).contains("User=shop_one\n", "Group=shop_one\n", "WorkingDirectory=/home/shop_one/site/current\n",
                "EnvironmentFile=-/home/shop_one/site/shared/.env\n", "Restart=on-failure\n", "RestartSec=3\n",
                "KillSignal=SIGTERM\n", "NoNewPrivileges=true\n", "ProtectSystem=full\n", "PrivateTmp=true\n",
                "ExecStart=\"/usr/bin/env\" \"PORT=3100\" \"php\" \"-r\" \"echo \\\"$$HOME 100%% done\\n\\\"; // a \\\\ b ; # c\" \"--tab=\\t\"\n");

        Path checker = Path.of("automation/roles/site-services/files/verify-unit").toAbsolutePath();
        ExecResult verified = command(List.of("sh", checker.toString(), unit.toString(), "vip-shop_one-queue@.service"));
        assertThat(verified.exitCode()).as(verified.output()).isZero();

        Files.writeString(folder.resolve("broken"), text.replace("ExecStart=\"/usr/bin/env\"", "ExecStart=\"vendor/bin/worker\""));
        ExecResult refused = command(List.of("sh", checker.toString(), folder.resolve("broken").toString(), "vip-shop_one-queue@.service"));
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    private static Map<String, Object> database(String name, String user, String state) {
        return Map.of("name", name, "user", user, "state", state);
    }

    private static Map<String, Object> databaseVars(String engine, List<Map<String, Object>> databases, Map<String, Object> passwords) {
        return Map.of("database_engine", engine, "site_databases", databases, "database_passwords", passwords);
    }

    private static Map<String, Object> envVars(String env, boolean reload) {
        return Map.of("site_env", env, "env_reload", reload);
    }

    private static Map<String, Object> workerVars(List<Map<String, Object>> workers, Map<String, Object> nodeApp, String restart) {
        return Map.of("workers", workers, "node_app", nodeApp, "worker_restart", restart);
    }

    /** The site variables the panel passes to every site playbook, plus the playbook's own. */
    private static Map<String, Object> siteVars(Map<String, Object> own) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("site_id", "site_test01");
        vars.put("site_user", SITE);
        vars.put("site_type", "php");
        vars.put("site_domain", "shop.example.test");
        vars.put("site_aliases", List.of());
        vars.put("site_redirect_aliases", false);
        vars.put("site_web_root", "");
        vars.put("site_php_version", phpVersion);
        vars.put("site_app_port", 3100);
        vars.put("site_keep_releases", 5);
        vars.put("site_waf", "off");
        vars.put("site_nginx_custom", "");
        vars.putAll(own);
        return vars;
    }

    /** Runs a site playbook as the admin account; it must succeed. Secrets are marked as the panel marks them. */
    private static PlaybookResult site(String playbook, Map<String, Object> own) {
        long start = System.nanoTime();
        Set<String> secrets = own.keySet().stream().filter(name -> name.equals("site_env") || name.equals("database_passwords"))
                .collect(Collectors.toSet());
        RunWatcher watcher = new RunWatcher(Path.of("automation"), playbook);
        PlaybookResult result = runner.run(new PlaybookRun(playbook, login(), panelKey.privateKey(), siteVars(own), secrets,
                Duration.ofMinutes(4)), watcher);
        time(playbook, start);
        printSlowestTasks(playbook, watcher);
        assertThat(result.outcome()).as(diagnose(result, watcher)).isEqualTo(Outcome.SUCCEEDED);
        for (String secret : secrets) {
            Object value = own.get(secret);
            List<String> values = value instanceof Map<?, ?> map ? map.values().stream().map(String::valueOf).toList()
                    : Arrays.stream(String.valueOf(value).split("\n")).filter(part -> part.length() >= 4).toList();
            values.forEach(part -> assertThat(watcher.text()).as("the secret in the output").doesNotContain(part));
        }
        return result;
    }

    /** A second run with the same variables must change nothing; says which tasks did. */
    private static PlaybookResult assertUnchanged(PlaybookResult result) {
        assertThat(result.tasks()).as("tasks that changed in a second run with the same variables")
                .filteredOn(task -> task.status().equals("changed")).extracting(TaskResult::name).isEmpty();
        assertThat(result.recap().changed()).isZero();
        return result;
    }

    private static PlaybookResult run(String playbook, Map<String, Object> own, Set<String> secrets) {
        return runner.run(new PlaybookRun(playbook, login(), panelKey.privateKey(), siteVars(own), secrets, Duration.ofMinutes(4)),
                RunListener.NONE);
    }

    private static ManagedHost login() {
        return new ManagedHost(server.address(), server.port(), ADMIN, server.hostKeyLine() + "\n");
    }

    private static ExecResult mariadb(String user, String password, String sql) {
        return server.exec("MYSQL_PWD='" + password + "' mariadb -h 127.0.0.1 -u " + user + " -N -B -e \"" + sql + "\" 2>&1");
    }

    private static ExecResult psql(String user, String password, String database, String sql) {
        return server.exec("PGPASSWORD='" + password + "' psql -h 127.0.0.1 -U " + user + " -d " + database
                + " -X -q -tA -c \"" + sql.replace("; ", "\" -c \"") + "\" 2>&1");
    }

    /** PIDs of the processes whose command line contains the marker. */
    private static List<String> pids(String marker) {
        // [x]yz: the regex matches the workers, not the shell running pgrep, whose command line holds "[x]yz"
        return server.exec("pgrep -f -- \"[" + marker.charAt(0) + "]" + marker.substring(1) + "\" || true").output().lines().sorted().toList();
    }

    private static String nodePid() {
        return server.exec("pgrep -u shop_one -x node").output().strip();
    }

    private static boolean waitFor(java.util.function.Supplier<String> probe, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (probe.get().equals(wanted)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static ExecResult command(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        return new ExecResult(process.waitFor(), output);
    }

    private static void check(ExecResult result, String what) {
        assertThat(result.exitCode()).as(what + ": " + result.output()).isZero();
    }

    private static String diagnose(PlaybookResult result, RunWatcher watcher) {
        List<String> changed = new ArrayList<>();
        result.tasks().stream().filter(task -> task.status().equals("changed")).map(TaskResult::name).forEach(changed::add);
        return "failed task: " + result.failedTask() + "\n" + result.failureMessage() + "\nchanged: " + String.join(", ", changed)
                + "\n--- output ---\n" + watcher.text() + "\n--- test host ---\n" + server.log();
    }

    /** The three tasks of a run that took longest (from their TASK line to the next one), for the benchmark. */
    private static void printSlowestTasks(String playbook, RunWatcher watcher) {
        List<RunWatcher.Line> tasks = watcher.lines.stream().filter(line -> line.text().startsWith("TASK [")).toList();
        Map<String, Long> millis = new LinkedHashMap<>();
        for (int i = 0; i + 1 < tasks.size(); i++) {
            millis.merge(tasks.get(i).text(), (tasks.get(i + 1).nanos() - tasks.get(i).nanos()) / 1_000_000, Long::sum);
        }
        millis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(entry -> System.out.printf("[slowest task] %-22s %6d ms %s%n", playbook, entry.getValue(), entry.getKey()));
    }

    private static void time(String step, long startNanos) {
        TIMINGS.merge(step, (System.nanoTime() - startNanos) / 1_000_000, Long::sum);
    }
}
