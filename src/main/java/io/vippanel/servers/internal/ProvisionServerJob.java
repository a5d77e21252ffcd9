package io.vippanel.servers.internal;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.HostKeyScanner;
import io.vippanel.automation.LogLevel;
import io.vippanel.automation.PlaybookResult;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.automation.SshCredential;
import io.vippanel.jobs.JobCancelled;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobLogLevel;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.servers.DatabaseEngine;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.internal.provider.CloudProvider;
import io.vippanel.servers.internal.provider.ProviderException;
import io.vippanel.servers.internal.provider.ProviderSshKey;
import io.vippanel.servers.internal.provider.Vm;
import io.vippanel.servers.internal.provider.VmSpec;
import io.vippanel.servers.internal.provider.VmState;
import io.vippanel.servers.ProviderAccounts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns a queued server into a ready one (DESIGN §4): create the VM at the provider (or take the custom server's
 * address), wait for it, pin its host keys on first contact, install the panel's key on a custom server with the
 * one-time secret, run {@code provision-server.yml}, then check from the panel that it really works.
 *
 * <p>Every step first looks at what an earlier attempt already did (VM id, pinned keys, login user), so a retry
 * or a re-run continues instead of creating a second VM. When a step fails for good, the server becomes
 * {@code failed} with the step and the reason; a VM this job created that never became usable is deleted again,
 * and anything left at the provider is named in the server's note.
 */
@Component
public class ProvisionServerJob implements JobType {

    static final String STEP_KEY = "Upload the panel's SSH key to the provider";
    static final String STEP_CREATE = "Create the VM";
    static final String STEP_WAIT = "Wait for the VM to run";
    static final String STEP_PIN = "Pin the SSH host key";
    static final String STEP_BOOTSTRAP = "Install the panel's key";
    static final String STEP_PLAYBOOK = "Run provision-server.yml";
    static final String STEP_CHECK = "Check the server";

    private final ServerWork work;
    private final ProviderAccounts accounts;
    private final HostKeyScanner scanner;
    private final SshCommandRunner ssh;
    private final ServerChecks checks;

    public ProvisionServerJob(ServerWork work, ProviderAccounts accounts, HostKeyScanner scanner, SshCommandRunner ssh,
                              ServerChecks checks) {
        this.work = work;
        this.accounts = accounts;
        this.scanner = scanner;
        this.ssh = ssh;
        this.checks = checks;
    }

    @Override
    public String name() {
        return ServerJobTypes.PROVISION;
    }

    /** Three tries a minute or two apart: a fresh VM's SSH or apt may need a moment. */
    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(3));
    }

    @Override
    public JobOutcome run(JobContext job) {
        ServerRecord server = work.server(job);
        if (server.status() == ServerStatus.DELETING) {
            return JobOutcome.of("The server is being deleted; nothing to provision.");
        }
        Progress progress = new Progress();
        Map<String, Long> timings = new LinkedHashMap<>();
        long started = System.nanoTime();
        try {
            work.status(server, ServerStatus.PROVISIONING, "Starting.", null);
            if (server.providerKind().isCloud()) {
                server = createVm(job, server, progress);
                timings.put("vmMillis", millisSince(started));
            }
            long sshStarted = System.nanoTime();
            server = pinHostKeys(job, server, progress);
            if (server.encryptedBootstrapSecret() != null) {
                server = installPanelKey(job, server, progress);
            }
            timings.put("sshReachableMillis", millisSince(sshStarted));
            progress.step = STEP_PLAYBOOK;
            note(server, "Running the provisioning playbook.");
            long playbookStarted = System.nanoTime();
            PlaybookResult result = runPlaybook(job, server);
            timings.put("playbookMillis", millisSince(playbookStarted));
            ServerRecord provisioned = switchToAdminUser(server);
            progress.step = STEP_CHECK;
            note(provisioned, "Checking the server from the panel.");
            long checksStarted = System.nanoTime();
            ServerChecks.Report report = checks.run(job, provisioned, result.outputs());
            timings.put("checksMillis", millisSince(checksStarted));
            if (!report.failures().isEmpty()) {
                throw JobFailure.permanent("Checks failed: " + String.join("; ", report.failures()), report.asMap());
            }
            Map<String, Object> facts = new LinkedHashMap<>(result.outputs());
            facts.put("checks", report.passed());
            facts.put("skippedChecks", report.skipped());
            work.update(repository -> {
                repository.markProvisioned(provisioned.id(), facts, work.clock().instant());
                repository.recordServices(provisioned.id(), report.services(), report.uptimeSeconds(), work.clock().instant());
            });
            work.updateAccess(access -> access.keysApplied(provisioned.id()));
            work.announce(provisioned);
            timings.put("totalMillis", millisSince(started));
            job.info("Server " + provisioned.name() + " is ready (" + String.join(", ", report.passed()) + ").");
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("timings", timings);
            outcome.put("changed", result.recap().changed());
            outcome.put("changedTasks", result.tasks().stream().filter(task -> task.status().equals("changed"))
                    .map(io.vippanel.automation.PlaybookResult.TaskResult::name).distinct().toList());
            outcome.put("checks", report.passed());
            outcome.put("skipped", report.skipped());
            return new JobOutcome("Ready; playbook changed " + result.recap().changed() + " items", outcome);
        } catch (JobCancelled e) {
            fail(job, server, progress, "Cancelled during: " + progress.step + ".");
            throw e;
        } catch (JobFailure e) {
            boolean retrying = e.retryable() && job.attempt() < job.job().maxAttempts();
            if (retrying) {
                work.status(server, ServerStatus.PROVISIONING, "Attempt " + job.attempt() + " failed (" + e.getMessage()
                        + "); trying again shortly.", null);
            } else {
                fail(job, server, progress, e.getMessage());
            }
            throw e;
        } catch (ProviderException e) {
            boolean retrying = e.retryable() && job.attempt() < job.job().maxAttempts();
            if (retrying) {
                work.status(server, ServerStatus.PROVISIONING, "Attempt " + job.attempt() + " failed (" + e.userMessage()
                        + "); trying again shortly.", null);
                throw JobFailure.retryable(e.userMessage());
            }
            fail(job, server, progress, e.userMessage());
            throw JobFailure.permanent(e.userMessage());
        } catch (RuntimeException e) {
            fail(job, server, progress, "Unexpected error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            throw e;
        }
    }

    /** Where the job got to, for the failure note and the cleanup. */
    private static final class Progress {
        String step = STEP_CREATE;
        @Nullable String createdVmId;
        @Nullable CloudProvider provider;
    }

    private ServerRecord createVm(JobContext job, ServerRecord server, Progress progress) {
        String accountId = java.util.Objects.requireNonNull(server.providerAccountId());
        CloudProvider provider = accounts.connectForSystem(accountId);
        progress.provider = provider;
        String keyId = server.providerKeyId();
        if (server.providerVmId() == null) {
            if (keyId == null) {
                progress.step = STEP_KEY;
                ProviderSshKey key = provider.uploadSshKey("vip-" + server.id(), server.panelPublicKey());
                keyId = key.id();
                String uploaded = keyId;
                work.update(repository -> repository.setVm(server.id(), null, uploaded));
                job.info("Uploaded the panel's key for this server (" + key.fingerprint() + ").");
            }
            progress.step = STEP_CREATE;
            note(server, "Creating the VM at " + server.providerKind().displayName() + ".");
            Vm vm = provider.createVm(new VmSpec(server.name(), java.util.Objects.requireNonNull(server.region()),
                    java.util.Objects.requireNonNull(server.size()), java.util.Objects.requireNonNull(server.providerImage()),
                    List.of(keyId), Map.of("vip-panel", server.id())));
            progress.createdVmId = vm.id();
            String key = keyId;
            work.update(repository -> repository.setVm(server.id(), vm.id(), key));
            job.info("The provider accepted VM " + vm.id() + ".");
        }
        progress.step = STEP_WAIT;
        ServerRecord current = work.reload(server);
        note(current, "Waiting for the VM to boot.");
        String vmId = java.util.Objects.requireNonNull(current.providerVmId());
        long deadline = System.nanoTime() + work.settings().sshWaitTimeout().toNanos();
        while (true) {
            job.stopIfCancelled();
            Optional<Vm> found = provider.findVm(vmId);
            if (found.isEmpty()) {
                throw JobFailure.permanent(server.providerKind().displayName() + " no longer knows VM " + vmId + ".");
            }
            Vm vm = found.get();
            if (vm.state() == VmState.RUNNING && (vm.ipv4() != null || vm.ipv6() != null)) {
                work.update(repository -> repository.setAddresses(server.id(), vm.ipv4(), vm.ipv6(),
                        current.hostKeys() == null ? vm.loginUser() : current.sshUser()));
                job.info("VM " + vmId + " runs at " + (vm.ipv4() != null ? vm.ipv4() : vm.ipv6()) + ".");
                return work.reload(server);
            }
            if (vm.state() == VmState.DELETING) {
                throw JobFailure.permanent("The VM is being deleted at the provider.");
            }
            if (System.nanoTime() - deadline > 0) {
                throw JobFailure.permanent("The VM did not come up within " + work.settings().sshWaitTimeout().toMinutes() + " minutes.");
            }
            pause(job, work.settings().sshWaitInterval());
        }
    }

    private ServerRecord pinHostKeys(JobContext job, ServerRecord server, Progress progress) {
        progress.step = STEP_PIN;
        if (server.hostKeys() != null) {
            return server;
        }
        String address = java.util.Objects.requireNonNull(server.address(), "a server without an address");
        note(server, "Waiting for SSH on " + address + ":" + server.sshPort() + ".");
        long deadline = System.nanoTime() + work.settings().sshWaitTimeout().toNanos();
        while (true) {
            job.stopIfCancelled();
            List<String> keys = scanner.scan(address, server.sshPort());
            if (!keys.isEmpty()) {
                String knownHosts = String.join("\n", keys) + "\n";
                work.update(repository -> repository.pinHostKeys(server.id(), knownHosts));
                job.info("Pinned the host keys: " + String.join(", ", HostKeyScanner.fingerprints(knownHosts)) + ".");
                job.audit("server.host_key_pinned", io.vippanel.platform.AuditEvent.Outcome.SUCCESS,
                        Map.of("server", server.id(), "fingerprints", HostKeyScanner.fingerprints(knownHosts)));
                return work.reload(server);
            }
            if (System.nanoTime() - deadline > 0) {
                throw JobFailure.permanent("Nothing answered SSH on " + address + ":" + server.sshPort() + " within "
                        + work.settings().sshWaitTimeout().toMinutes() + " minutes.");
            }
            pause(job, work.settings().sshWaitInterval());
        }
    }

    /** Logs in once with the secret given for a custom server, installs the panel's key, then forgets the secret. */
    private ServerRecord installPanelKey(JobContext job, ServerRecord server, Progress progress) {
        progress.step = STEP_BOOTSTRAP;
        note(server, "Installing the panel's key for " + server.sshUser() + ".");
        SshCredential once = java.util.Objects.requireNonNull(work.secrets().bootstrapCredential(server));
        String publicKey = server.panelPublicKey();
        String sudo = server.sshUser().equals("root") ? "" : "sudo -n true || { echo 'The user needs password-less sudo.' >&2; exit 3; }; ";
        String command = sudo + "umask 077 && mkdir -p ~/.ssh && touch ~/.ssh/authorized_keys && "
                + "(grep -qxF '" + publicKey + "' ~/.ssh/authorized_keys || echo '" + publicKey + "' >> ~/.ssh/authorized_keys)";
        CommandResult result = ssh.run(server.host(), once, command, Duration.ofMinutes(1), listener(job));
        if (!result.succeeded()) {
            String reason = result.exitStatus() == 3 ? server.sshUser() + " has no password-less sudo; the panel needs root or such a user."
                    : java.util.Objects.requireNonNullElse(result.failureMessage(), "the login failed");
            throw result.outcome() == io.vippanel.automation.Outcome.UNREACHABLE && result.failureMessage() != null
                    && !result.failureMessage().contains("refused the") ? JobFailure.retryable(reason) : JobFailure.permanent(reason);
        }
        CommandResult check = ssh.run(server.host(), work.secrets().panelKey(server), "true", Duration.ofSeconds(30), listener(job));
        if (!check.succeeded()) {
            throw JobFailure.permanent("The panel's key was written but does not log in: " + check.failureMessage());
        }
        work.update(repository -> repository.forgetBootstrapSecret(server.id()));
        job.info("The panel's key logs in; the one-time " + server.bootstrapKind() + " was deleted from the panel.");
        return work.reload(server);
    }

    private PlaybookResult runPlaybook(JobContext job, ServerRecord server) {
        Map<String, @Nullable Object> vars = work.baseVars(server);
        vars.put("admin_authorized_keys", work.authorizedKeys(server));
        vars.put("firewall_rules", work.firewallRules(server));
        vars.put("timezone", work.settings().timezone());
        vars.put("swap_mb", 0);
        vars.put("web_server", server.stack().webServer());
        vars.put("php_versions", server.stack().phpVersions());
        vars.put("php_default_version", server.stack().phpDefaultVersion());
        vars.put("php_vendor_repo", work.settings().phpVendorRepo());
        vars.put("database", server.stack().database().key());
        String password = work.secrets().databaseRootPassword(server);
        vars.put("database_root_password", password == null ? "" : password);
        vars.put("nodejs", server.stack().nodejs());
        vars.put("nodejs_version", work.settings().nodejsVersion());
        vars.put("nodejs_from_distro", work.settings().nodejsFromDistro());
        vars.put("redis", server.stack().redis());
        vars.put("node_exporter", true);
        Set<String> secretVars = server.stack().database() == DatabaseEngine.NONE || password == null
                ? Set.of() : Set.of("database_root_password");
        return work.playbook(job, server, "provision-server.yml", vars, secretVars, work.settings().provisionTimeout());
    }

    /** From now on the panel logs in as the admin user the playbook made; root keeps no panel access path it needs. */
    private ServerRecord switchToAdminUser(ServerRecord server) {
        if (!server.sshUser().equals(server.adminUser())) {
            work.update(repository -> repository.setLoginUser(server.id(), server.adminUser()));
        }
        return work.reload(server);
    }

    private void fail(JobContext job, ServerRecord server, Progress progress, String reason) {
        String note = reason;
        if (progress.createdVmId != null && progress.provider != null
                && (progress.step.equals(STEP_WAIT) || progress.step.equals(STEP_PIN))) {
            note += " " + cleanUp(job, server, progress.provider, progress.createdVmId);
        } else {
            ServerRecord current = work.reload(server);
            if (current.providerVmId() != null) {
                note += " VM " + current.providerVmId() + " at " + current.providerKind().displayName()
                        + " is kept (and billed): retry provisioning, or delete the server to remove it.";
            }
        }
        job.log(JobLogLevel.ERROR, "Failed at \"" + progress.step + "\": " + note);
        work.status(server, ServerStatus.FAILED, note, progress.step);
    }

    /** Deletes the VM (and uploaded key) this run created and that never became usable; says what is left if that fails. */
    private String cleanUp(JobContext job, ServerRecord server, CloudProvider provider, String vmId) {
        try {
            provider.deleteVm(vmId);
            work.update(repository -> repository.setVm(server.id(), null, work.reload(server).providerKeyId()));
            job.warn("Deleted VM " + vmId + " again, as it never became usable.");
            return "The VM " + vmId + " this job created was deleted again.";
        } catch (ProviderException e) {
            job.error("Could not delete VM " + vmId + ": " + e.userMessage());
            return "VM " + vmId + " could not be deleted (" + e.userMessage() + "); delete it in the provider's console.";
        }
    }

    private void note(ServerRecord server, String note) {
        work.status(server, ServerStatus.PROVISIONING, note, null);
    }

    private static RunListener listener(JobContext job) {
        return new RunListener() {
            @Override
            public void line(LogLevel level, String text) {
                job.log(JobLogLevel.valueOf(level.name()), text);
            }

            @Override
            public boolean cancelled() {
                return job.cancelRequested();
            }
        };
    }

    static void pause(JobContext job, Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelled();
        }
        job.stopIfCancelled();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
