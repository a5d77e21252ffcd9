package io.vippanel.servers.internal;

import io.vippanel.automation.CommandResult;
import io.vippanel.automation.PlaybookResult;
import io.vippanel.automation.RunListener;
import io.vippanel.automation.SshCommandRunner;
import io.vippanel.automation.SshKey;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.jobs.JobOutcome;
import io.vippanel.jobs.JobType;
import io.vippanel.jobs.RetryPolicy;
import io.vippanel.servers.StackOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Day-two jobs on a ready server: services, PHP versions, and rotating the panel's own SSH key. */
final class ServerMaintenanceJobs {

    private ServerMaintenanceJobs() {
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    /** Reads or restarts services and records the states the server reports. */
    @Component
    static final class ServicesJob implements JobType {

        private final ServerWork work;

        ServicesJob(ServerWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return ServerJobTypes.SERVICES;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = ServerWork.requireReady(work.server(job));
            String action = job.job().params().path("action").asString("status");
            Map<String, @Nullable Object> vars = work.baseVars(server);
            vars.put("service_action", action);
            vars.put("service_names", strings(job.job().params().path("services")));
            PlaybookResult result = work.playbook(job, server, "server-services.yml", vars, Set.of(), Duration.ofMinutes(5));
            Map<String, String> services = new LinkedHashMap<>(server.services());
            if (result.outputs().get("services") instanceof Map<?, ?> reported) {
                reported.forEach((name, state) -> services.put(String.valueOf(name), String.valueOf(state)));
            }
            work.update(repository -> repository.recordServices(server.id(), services, null, work.clock().instant()));
            return new JobOutcome(action.equals("restart") ? "Restarted " + String.join(", ", vars.get("service_names").toString())
                    : "Read " + services.size() + " services", Map.of("services", services));
        }
    }

    /** Installs PHP versions and sets the default, then records them in the server's stack. */
    @Component
    static final class PhpJob implements JobType {

        private final ServerWork work;

        PhpJob(ServerWork work) {
            this.work = work;
        }

        @Override
        public String name() {
            return ServerJobTypes.PHP;
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord server = ServerWork.requireReady(work.server(job));
            List<String> versions = strings(job.job().params().path("versions"));
            String defaultVersion = job.job().params().path("defaultVersion").asString("");
            Map<String, @Nullable Object> vars = work.baseVars(server);
            vars.put("php_versions", versions);
            vars.put("php_default_version", defaultVersion);
            vars.put("php_vendor_repo", work.settings().phpVendorRepo());
            PlaybookResult result = work.playbook(job, server, "server-php.yml", vars, Set.of(), Duration.ofMinutes(20));
            StackOptions old = server.stack();
            StackOptions stack = new StackOptions(old.webServer(), versions, defaultVersion, old.database(), old.nodejs(), old.redis());
            work.update(repository -> repository.setStack(server.id(), stack));
            return new JobOutcome("PHP " + String.join(", ", versions) + ", default " + defaultVersion, result.outputs());
        }
    }

    /**
     * Replaces the panel's key: a new key is made and authorized next to the old one (logging in with the old),
     * the new one is proven to log in, and only then the old one is removed (logging in with the new). A retry
     * after a crash continues with the keys it finds.
     */
    @Component
    static final class RotateKeyJob implements JobType {

        private final ServerWork work;
        private final SshCommandRunner ssh;

        RotateKeyJob(ServerWork work, SshCommandRunner ssh) {
            this.work = work;
            this.ssh = ssh;
        }

        @Override
        public String name() {
            return ServerJobTypes.ROTATE_KEY;
        }

        @Override
        public RetryPolicy retryPolicy() {
            return new RetryPolicy(3, Duration.ofSeconds(20), Duration.ofMinutes(2));
        }

        @Override
        public JobOutcome run(JobContext job) {
            ServerRecord started = ServerWork.requireReady(work.server(job));
            if (started.encryptedRetiredKey() == null) {
                ServerRecord server = started;
                SshKeyMaterial.KeyPair fresh = SshKeyMaterial.generateEd25519("vip-panel@" + server.id());
                String sealedNew = work.secrets().seal(ServerSecrets.PANEL_KEY, server.id(), fresh.privateKeyPem());
                String sealedOld = work.secrets().seal(ServerSecrets.RETIRED_KEY, server.id(),
                        work.secrets().panelKey(server).openSshPem());
                work.update(repository -> repository.rotatePanelKey(server.id(), sealedNew, fresh.publicKeyLine(), sealedOld,
                        work.clock().instant()));
                job.info("Made a new ed25519 key for the panel.");
            }
            ServerRecord server = work.reload(started);
            SshKey oldKey = java.util.Objects.requireNonNull(work.secrets().retiredKey(server));
            SshKey newKey = work.secrets().panelKey(server);
            String oldPublic = SshKeyMaterial.publicLineOf(oldKey.openSshPem(), "vip-panel@" + server.id());
            Map<String, @Nullable Object> both = work.baseVars(server);
            both.put("admin_authorized_keys", work.authorizedKeys(server, server.panelPublicKey(), oldPublic));
            CommandResult probe = ssh.run(server.host(), newKey, "true", Duration.ofSeconds(30), RunListener.NONE);
            if (!probe.succeeded()) {
                job.info("Installing the new key next to the old one.");
                work.playbook(job, server, oldKey, "server-ssh-keys.yml", both, Set.of(), ServerAccessJobs.TIMEOUT);
                CommandResult proof = ssh.run(server.host(), newKey, "true", Duration.ofSeconds(30), RunListener.NONE);
                if (!proof.succeeded()) {
                    throw JobFailure.permanent("The new key was installed but does not log in (" + proof.failureMessage()
                            + "); the old key stays in use.");
                }
            }
            job.info("The new key logs in; removing the old one.");
            Map<String, @Nullable Object> onlyNew = work.baseVars(server);
            onlyNew.put("admin_authorized_keys", work.authorizedKeys(server));
            work.playbook(job, server, newKey, "server-ssh-keys.yml", onlyNew, Set.of(), ServerAccessJobs.TIMEOUT);
            CommandResult oldRefused = ssh.run(server.host(), oldKey, "true", Duration.ofSeconds(30), RunListener.NONE);
            if (oldRefused.succeeded()) {
                throw JobFailure.permanent("The old key still logs in after it was removed; check the server's authorized_keys.");
            }
            work.update(repository -> repository.dropRetiredKey(server.id()));
            job.audit("server.panel_key_rotated", io.vippanel.platform.AuditEvent.Outcome.SUCCESS,
                    Map.of("server", server.id(), "fingerprint", work.reload(server).view().panelKeyFingerprint()));
            return JobOutcome.of("The panel's key was replaced; the old key no longer logs in.");
        }
    }
}
