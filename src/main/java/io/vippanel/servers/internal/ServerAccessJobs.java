package io.vippanel.servers.internal;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Day-two jobs that make the server match what the panel lists: the whole set of firewall rules, or the whole set
 * of authorized keys, written by one idempotent playbook each. The panel's rows say pending/removing until the
 * job applied them, then installed/applied (or failed).
 */
@Configuration(proxyBeanMethods = false)
class ServerAccessJobs {

    static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Bean
    JobType firewallJob(ServerWork work) {
        return new ApplyJob(work, ServerJobTypes.FIREWALL, "server-firewall.yml",
                (server, vars) -> vars.put("firewall_rules", work.firewallRules(server)),
                ServerAccessRepository::rulesApplied, ServerAccessRepository::rulesFailed, "Firewall rules applied");
    }

    @Bean
    JobType sshKeysJob(ServerWork work) {
        return new ApplyJob(work, ServerJobTypes.SSH_KEYS, "server-ssh-keys.yml",
                (server, vars) -> vars.put("admin_authorized_keys", work.authorizedKeys(server)),
                ServerAccessRepository::keysApplied, ServerAccessRepository::keysFailed, "SSH keys applied");
    }

    interface VarsFiller {
        void fill(ServerRecord server, Map<String, @Nullable Object> vars);
    }

    interface Marker {
        void mark(ServerAccessRepository repository, String serverId);
    }

    /** Runs one playbook that writes a complete wanted set, then marks the rows. */
    static final class ApplyJob implements JobType {

        private final ServerWork work;
        private final String name;
        private final String playbook;
        private final VarsFiller vars;
        private final Marker applied;
        private final Marker failed;
        private final String summary;

        ApplyJob(ServerWork work, String name, String playbook, VarsFiller vars, Marker applied, Marker failed, String summary) {
            this.work = work;
            this.name = name;
            this.playbook = playbook;
            this.vars = vars;
            this.applied = applied;
            this.failed = failed;
            this.summary = summary;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return new RetryPolicy(3, Duration.ofSeconds(20), Duration.ofMinutes(2));
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = ServerWork.requireReady(work.server(job));
            Map<String, @Nullable Object> values = work.baseVars(server);
            vars.fill(server, values);
            try {
                PlaybookResult result = work.playbook(job, server, playbook, values, Set.of(), TIMEOUT);
                work.updateAccess(repository -> applied.mark(repository, server.id()));
                // Open pages re-read the server's sections on its status events: they show the rows applied.
                work.announce(server);
                return new JobOutcome(summary + " (" + result.recap().changed() + " changed)", Map.of("outputs", result.outputs()));
            } catch (JobFailure e) {
                if (!e.retryable() || job.attempt() >= job.job().maxAttempts()) {
                    work.updateAccess(repository -> failed.mark(repository, server.id()));
                    work.announce(server);
                }
                throw e;
            }
        }
    }

}
