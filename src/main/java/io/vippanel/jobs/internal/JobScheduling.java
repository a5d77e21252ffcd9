package io.vippanel.jobs.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RecurringWork;
import io.vippanel.platform.LiveEvents;
import io.vippanel.platform.VipProperties;
import io.vippanel.tenancy.SystemTransactions;
import io.vippanel.tenancy.TenantScope;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;

/**
 * The db-scheduler wiring. Every process gets a {@link SchedulerClient} that writes through the caller's Spring
 * transaction (so a job is queued exactly when the change that needs it commits); only worker processes run a
 * {@link Scheduler}, which claims due jobs with {@code SELECT ... FOR UPDATE SKIP LOCKED}, heart-beats while
 * they run, and revives the jobs of a worker whose heartbeat stopped.
 */
@Component
public class JobScheduling implements SmartLifecycle {

    public static final String JOB_TASK = "job";
    private static final Logger log = LoggerFactory.getLogger(JobScheduling.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DataSource dataSource;
    private final VipProperties properties;
    private final JobEvents events;
    private final JobRepository repository;
    private final SystemTransactions tx;
    private final RunningJobs running = new RunningJobs();
    private final JobExecutor executor;
    private final CustomTask<String> jobTask;
    private final List<RecurringTask<Void>> recurringTasks;
    private final SchedulerClient client;
    private final String workerName;
    private volatile Scheduler scheduler;
    private volatile ScheduledExecutorService cancelWatch;
    private final List<LiveEvents.Subscription> subscriptions = new ArrayList<>();

    public JobScheduling(DataSource dataSource, VipProperties properties, List<JobType> types, List<RecurringWork> recurring,
                         JobRepository repository, JobEvents events, SystemTransactions tx,
                         ApplicationEventPublisher publisher, Clock clock) {
        this.dataSource = new TransactionAwareDataSourceProxy(dataSource);
        this.properties = properties;
        this.events = events;
        this.repository = repository;
        this.tx = tx;
        this.workerName = newWorkerName();
        Map<String, JobType> byName = new HashMap<>();
        for (JobType type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalStateException("two job types are named " + type.name());
            }
        }
        this.executor = new JobExecutor(Map.copyOf(byName), repository, events, tx, publisher, running, clock, workerName);
        this.jobTask = Tasks.custom(JOB_TASK, String.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> executor.execute(instance.getData()));
        this.recurringTasks = recurring.stream().map(JobScheduling::recurringTask).toList();
        List<Task<?>> known = new ArrayList<>();
        known.add(jobTask);
        known.addAll(recurringTasks);
        this.client = SchedulerClient.Builder.create(this.dataSource, known).serializer(new JsonTaskData()).build();
    }

    private static RecurringTask<Void> recurringTask(RecurringWork work) {
        return Tasks.recurring(work.name(), FixedDelay.of(work.every()))
                .execute((instance, context) -> TenantScope.callAsSystem(() -> {
                    work.run();
                    return null;
                }));
    }

    private static String newWorkerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + INSTANCES.incrementAndGet();
    }

    public java.util.Optional<io.vippanel.jobs.RetryPolicy> retryPolicy(String type) {
        return executor.retryPolicy(type);
    }

    /** Queues a job's execution in the caller's transaction. */
    public void schedule(String jobId, Instant at) {
        TaskInstance<String> instance = jobTask.instance(jobId, jobId);
        client.scheduleIfNotExists(instance, at);
    }

    /**
     * Removes a queued execution that no worker has claimed, in the caller's transaction; false when a worker
     * holds it. One conditional DELETE, because db-scheduler's read-then-cancel races a worker's claim.
     */
    public boolean unschedule(String jobId) {
        return repository.deleteUnclaimedExecution(JOB_TASK, jobId);
    }

    public String workerName() {
        return workerName;
    }

    @Override
    public void start() {
        if (!properties.runsJobs()) {
            log.info("this process does not run jobs (role {})", properties.role());
            return;
        }
        VipProperties.Jobs settings = properties.jobs();
        Scheduler started = Scheduler.create(dataSource, List.<Task<?>>of(jobTask))
                .startTasks(recurringTasks)
                .serializer(new JsonTaskData())
                .schedulerName(new SchedulerName.Fixed(workerName))
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                .shutdownMaxWait(settings.shutdownMaxWait())
                .pollUsingLockAndFetch(0.5, 1.0)
                .enableImmediateExecution()
                .build();
        subscriptions.add(events.live().subscribe(JobEvents.WAKE_UP, event -> started.triggerCheckForDueExecutions()));
        subscriptions.add(events.live().subscribe(JobEvents.CANCEL, event -> running.cancel(event.path("jobId").asString(""))));
        cancelWatch = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vip-job-cancel-watch").factory());
        cancelWatch.scheduleWithFixedDelay(this::pollCancelRequests, 2, 2, TimeUnit.SECONDS);
        started.start();
        scheduler = started;
        log.info("job worker {} started with {} threads", workerName, settings.threads());
    }

    /** A missed cancel event must not leave a job running: the database is the record of the request. */
    private void pollCancelRequests() {
        try {
            var ids = running.ids();
            if (!ids.isEmpty()) {
                tx.call(() -> repository.cancelRequestedAmong(ids)).forEach(running::cancel);
            }
        } catch (RuntimeException e) {
            log.warn("could not check for cancel requests: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        subscriptions.forEach(LiveEvents.Subscription::close);
        subscriptions.clear();
        if (cancelWatch != null) {
            cancelWatch.shutdownNow();
        }
        Scheduler current = scheduler;
        if (current != null) {
            current.stop();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Stop taking jobs before the database pool and the event transport close. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
