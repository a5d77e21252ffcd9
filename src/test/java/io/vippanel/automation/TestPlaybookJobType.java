package io.vippanel.automation;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.platform.crypto.SecretBox;
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

    /**
     * The server to run against, with its login key and a database password for the playbook as a secrets table
     * would hold them: encrypted by the {@link SecretBox}, bound to their row. The job decrypts them on the worker.
     */
    record Target(ManagedHost host, String encryptedKey, PlaybookRunner runner, String encryptedPassword) {
        static final String KEY_BINDING = "ssh_keys.private_key:srv_test";
        static final String PASSWORD_BINDING = "site_databases.password:srv_test";

        static Target encrypted(SecretBox box, ManagedHost host, SshKey key, PlaybookRunner runner, String password) {
            return new Target(host, box.encrypt(key.openSshPem(), KEY_BINDING), runner, box.encrypt(password, PASSWORD_BINDING));
        }

        Target withHost(ManagedHost other) {
            return new Target(other, encryptedKey, runner, encryptedPassword);
        }
    }

    static volatile Target target;

    @Bean
    JobType playbookJob(SecretBox secrets) {
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
                Set<String> secretVars = Set.of();
                if (context.job().params().path("withPassword").asBoolean(false)) {
                    vars.put("db_password", secrets.decrypt(current.encryptedPassword(), Target.PASSWORD_BINDING));
                    secretVars = Set.of("db_password");
                }
                SshKey key = SshKey.of(secrets.decrypt(current.encryptedKey(), Target.KEY_BINDING));
                PlaybookResult result = new PlaybookJobs(current.runner()).run(context,
                        new PlaybookRun(playbook, current.host(), key, vars, secretVars, Duration.ofMinutes(2)));
                return new JobOutcome(playbook + " finished: " + result.recap().changed() + " changed",
                        PlaybookJobs.describe(result));
            }
        };
    }
}
