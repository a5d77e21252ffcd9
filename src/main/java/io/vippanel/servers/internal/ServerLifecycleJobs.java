package io.vippanel.servers.internal;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.servers.ProviderAccounts;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Reboot, resize and delete: the provider's API for cloud servers, SSH for custom ones. */
final class ServerLifecycleJobs {

    private ServerLifecycleJobs() {
    }

    /** Waits until the panel's key logs in again after the server went away, and records the uptime. */
    static void awaitSsh(ServerWork work, SshCommandRunner ssh, JobContext job, ServerRecord server) {
        long deadline = System.nanoTime() + work.settings().sshWaitTimeout().toNanos();
        while (true) {
            job.stopIfCancelled();
            CommandResult result = ssh.run(server.host(), work.secrets().panelKey(server), "cat /proc/uptime",
                    Duration.ofSeconds(20), RunListener.NONE);
            if (result.succeeded()) {
                Long uptime = ServerChecks.uptimeSeconds(result.stdout());
                work.update(repository -> repository.recordServices(server.id(), server.services(), uptime, work.clock().instant()));
                job.info("The server answers SSH again.");
                return;
            }
            if (result.outcome() == io.vippanel.automation.Outcome.HOST_KEY_MISMATCH) {
                throw JobFailure.permanent(java.util.Objects.requireNonNullElse(result.failureMessage(), "host key mismatch"));
            }
            if (System.nanoTime() - deadline > 0) {
                throw JobFailure.permanent("The server did not answer SSH within " + work.settings().sshWaitTimeout().toMinutes() + " minutes.");
            }
            ProvisionServerJob.pause(job, work.settings().sshWaitInterval());
        }
    }

    static JobFailure providerFailure(ProviderException e) {
        return e.retryable() ? JobFailure.retryable(e.userMessage()) : JobFailure.permanent(e.userMessage());
    }

    @Component
    static final class RebootJob implements JobType {

        private final ServerWork work;
        private final ProviderAccounts accounts;
        private final SshCommandRunner ssh;

        RebootJob(ServerWork work, ProviderAccounts accounts, SshCommandRunner ssh) {
            this.work = work;
            this.accounts = accounts;
            this.ssh = ssh;
        }

        @Override
        public String name() {
            return ServerJobTypes.REBOOT;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.once();
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = ServerWork.requireReady(work.server(job));
            if (server.providerKind().isCloud() && server.providerVmId() != null && server.providerAccountId() != null) {
                try {
                    accounts.connectForSystem(server.providerAccountId()).reboot(server.providerVmId());
                } catch (ProviderException e) {
                    throw providerFailure(e);
                }
                job.info(server.providerKind().displayName() + " rebooted the VM.");
            } else {
                // The connection drops as the machine goes down, so the command's own result says nothing.
                ssh.run(server.host(), work.secrets().panelKey(server), "sudo -n nohup sh -c 'sleep 1; reboot' >/dev/null 2>&1 &",
                        Duration.ofSeconds(20), RunListener.NONE);
                job.info("Asked the server to reboot.");
                ProvisionServerJob.pause(job, Duration.ofSeconds(5));
            }
            awaitSsh(work, ssh, job, server);
            return JobOutcome.of("Rebooted");
        }
    }

    @Component
    static final class ResizeJob implements JobType {

        private final ServerWork work;
        private final ProviderAccounts accounts;
        private final SshCommandRunner ssh;

        ResizeJob(ServerWork work, ProviderAccounts accounts, SshCommandRunner ssh) {
            this.work = work;
            this.accounts = accounts;
            this.ssh = ssh;
        }

        @Override
        public String name() {
            return ServerJobTypes.RESIZE;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return RetryPolicy.once();
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = ServerWork.requireReady(work.server(job));
            String size = job.job().params().path("size").asString("");
            if (server.providerAccountId() == null || server.providerVmId() == null) {
                throw JobFailure.permanent("Only cloud servers are resized through the panel.");
            }
            work.status(server, ServerStatus.PROVISIONING, "Resizing to " + size + ".", null);
            try {
                accounts.connectForSystem(server.providerAccountId()).resize(server.providerVmId(), size);
                work.update(repository -> repository.setSize(server.id(), size));
                job.info("The provider resized the VM to " + size + ".");
                awaitSsh(work, ssh, job, server);
                work.status(server, ServerStatus.READY, null, null);
                return JobOutcome.of("Resized to " + size);
            } catch (ProviderException e) {
                work.status(server, ServerStatus.READY, "Resize to " + size + " failed: " + e.userMessage(), null);
                throw JobFailure.permanent(e.userMessage());
            } catch (JobFailure e) {
                work.status(server, ServerStatus.FAILED, "After the resize: " + e.getMessage(), "Resize");
                throw e;
            }
        }
    }

    /**
     * Removes the VM and the panel's uploaded key at the provider, then the server's records; a custom server is
     * only forgotten (the machine and everything on it stay as they are).
     */
    @Component
    static final class DeleteJob implements JobType {

        private final ServerWork work;
        private final ProviderAccounts accounts;

        DeleteJob(ServerWork work, ProviderAccounts accounts) {
            this.work = work;
            this.accounts = accounts;
        }

        @Override
        public String name() {
            return ServerJobTypes.DELETE;
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = work.server(job);
            List<String> removed = new ArrayList<>();
            if (server.providerKind().isCloud() && server.providerAccountId() != null) {
                CloudProvider provider = accounts.connectForSystem(server.providerAccountId());
                try {
                    if (server.providerVmId() != null) {
                        provider.deleteVm(server.providerVmId());
                        removed.add("VM " + server.providerVmId() + " at " + server.providerKind().displayName());
                        job.info("Deleted VM " + server.providerVmId() + ".");
                    }
                    if (server.providerKeyId() != null) {
                        provider.deleteSshKey(server.providerKeyId());
                        removed.add("the panel's SSH key at the provider");
                    }
                } catch (ProviderException e) {
                    work.status(server, ServerStatus.DELETING, "Deleting at the provider failed: " + e.userMessage(), "Delete");
                    throw providerFailure(e);
                }
            } else {
                job.info("A custom server is only forgotten: the machine and everything on it stay as they are.");
            }
            work.update(repository -> repository.delete(server.id()));
            removed.add("the server's records in the panel");
            job.info("Removed " + String.join(", ", removed) + ".");
            return new JobOutcome("Deleted " + server.name(), Map.of("removed", removed));
        }
    }
}
