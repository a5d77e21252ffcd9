package io.vippanel.automation;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A job type that runs a playbook against the test SSH host through {@link PlaybookJobs}, as the servers module's
 * job types will against real servers. The host, key and runner are handed over by the test (they exist only
 * while it runs); a real job type loads them from the database and the secret store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vip.test.playbook-jobs", havingValue = "true")
class TestPlaybookJobType {

    static final String NAME = "test.playbook";

    /** The server to run against and, standing in for the secret store, a database password for the playbook. */
    record Target(ManagedHost host, SshKey key, PlaybookRunner runner, String databasePassword) {
        Target withHost(ManagedHost other) {
            return new Target(other, key, runner, databasePassword);
        }
    }

    static volatile Target target;

    @Bean
    JobType playbookJob() {
        return new JobType() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return new RetryPolicy(2, Duration.ofMillis(200), Duration.ofMillis(200));
            }

            @Override
            public JobOutcome run(JobContext context) {
                Target current = target;
                String playbook = context.job().params().path("playbook").asString();
                Map<String, Object> vars = new LinkedHashMap<>();
                context.job().params().path("vars").properties().forEach(entry -> vars.put(entry.getKey(), entry.getValue().asString()));
                Set<String> secrets = Set.of();
                if (context.job().params().path("withPassword").asBoolean(false)) {
                    vars.put("db_password", current.databasePassword());
                    secrets = Set.of("db_password");
                }
                PlaybookResult result = new PlaybookJobs(current.runner()).run(context,
                        new PlaybookRun(playbook, current.host(), current.key(), vars, secrets, Duration.ofMinutes(2)));
                return new JobOutcome(playbook + " finished: " + result.recap().changed() + " changed",
                        PlaybookJobs.describe(result));
            }
        };
    }
}
