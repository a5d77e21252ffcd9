package io.vippanel.servers.internal;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.LogLevel;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.jobs.JobContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a provisioned server the way the panel will use it, from the panel's side: a fresh SSH login as the
 * admin user with sudo, the web server answering on port 80, PHP running through PHP-FPM (the health page),
 * node_exporter answering, and the services the playbook reported.
 */
@Component
public class ServerChecks {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final SshCommandRunner ssh;
    private final ServerSecrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public ServerChecks(SshCommandRunner ssh, ServerSecrets secrets) {
        this.ssh = ssh;
        this.secrets = secrets;
    }

    /**
     * @param passed        short names of the checks that passed
     * @param failures      what failed, for people
     * @param skipped       checks not made, with why (e.g. what the playbook reported it could not do)
     * @param services      service → state as the server reported it
     */
    public record Report(List<String> passed, List<String> failures, List<String> skipped, Map<String, String> services,
                         @Nullable Long uptimeSeconds) {

        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("passed", passed);
            map.put("failures", failures);
            map.put("skipped", skipped);
            map.put("services", services);
            return map;
        }
    }

    public Report run(JobContext job, ServerRecord server, Map<String, Object> outputs) {
        List<String> passed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Long uptime = null;
        CommandResult login = ssh.run(server.host(), secrets.panelKey(server), "sudo -n true && cat /proc/uptime",
                Duration.ofSeconds(30), quiet(job));
        if (login.succeeded()) {
            passed.add("ssh as " + server.sshUser() + " with sudo");
            uptime = uptimeSeconds(login.stdout());
        } else {
            failures.add("SSH login as " + server.sshUser() + " with sudo failed: " + login.failureMessage());
        }
        String address = java.util.Objects.requireNonNull(server.address());
        String host = address.contains(":") ? "[" + address + "]" : address;
        check(job, "http://" + host + "/", "nginx answers on port 80", status -> status > 0, passed, failures);
        if (!server.stack().phpVersions().isEmpty()) {
            check(job, "http://" + host + "/.vip/health.php", "PHP-FPM runs PHP", status -> status == 200, passed, failures);
        } else {
            skipped.add("PHP-FPM: no PHP version chosen");
        }
        check(job, "http://" + host + ":9100/metrics", "node_exporter answers", status -> status == 200, passed, failures);
        Map<String, String> services = new LinkedHashMap<>();
        if (outputs.get("services") instanceof Map<?, ?> reported) {
            reported.forEach((name, state) -> services.put(String.valueOf(name), String.valueOf(state)));
        }
        services.forEach((name, state) -> {
            if (!state.equals("active")) {
                failures.add(name + " is " + state);
            }
        });
        if (outputs.get("skipped") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> entry) {
                    skipped.add(entry.get("what") + ": " + entry.get("why"));
                }
            }
        }
        skipped.forEach(item -> job.warn("Not done on this server: " + item));
        return new Report(passed, failures, skipped, services, uptime);
    }

    private interface StatusTest {
        boolean ok(int status);
    }

    private void check(JobContext job, String url, String name, StatusTest test, List<String> passed, List<String> failures) {
        int status = status(url);
        if (test.ok(status)) {
            passed.add(name);
            job.info("Check passed: " + name + " (" + (status == 0 ? "connection accepted" : "HTTP " + status) + ").");
        } else {
            String what = status < 0 ? "no answer" : status == 0 ? "connection closed without a response" : "HTTP " + status;
            failures.add(name + ": " + what + " from " + url);
        }
    }

    /** The HTTP status, 0 when the server closed the connection without a response (nginx's 444), -1 when nothing answered. */
    private int status(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            return -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("header parser received no bytes") ? 0 : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static @Nullable Long uptimeSeconds(String procUptime) {
        String[] fields = procUptime.strip().split("\\s+");
        try {
            return fields.length > 0 ? (long) Double.parseDouble(fields[0]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static RunListener quiet(JobContext job) {
        return new RunListener() {
            @Override
            public void line(LogLevel level, String text) {
                if (level != LogLevel.INFO) {
                    job.log(io.vippanel.jobs.JobLogLevel.valueOf(level.name()), text);
                }
            }

            @Override
            public boolean cancelled() {
                return job.cancelRequested();
            }
        };
    }
}
