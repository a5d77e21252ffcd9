package io.vippanel.dns;

import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A job type that runs what a test hands it inside a real job on the real worker, as the certificates module's order
 * job calls {@link DnsChallenges}: the test registers the work under a key and queues a job naming that key. Tried
 * once, so a failure ends the job at once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vip.test.dns-challenge-jobs", havingValue = "true")
class TestChallengeJobType {

    static final String NAME = "test.dns-challenge";

    static final Map<String, Function<JobContext, JobOutcome>> WORK = new ConcurrentHashMap<>();

    @Bean
    JobType dnsChallengeJob() {
        return new JobType() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public RetryPolicy retryPolicy() {
                return RetryPolicy.once();
            }

            @Override
            public JobOutcome run(JobContext context) {
                Function<JobContext, JobOutcome> work = WORK.get(context.job().params().path("key").asString());
                if (work == null) {
                    throw new IllegalStateException("no work registered for " + context.job().params());
                }
                return work.apply(context);
            }
        };
    }
}
