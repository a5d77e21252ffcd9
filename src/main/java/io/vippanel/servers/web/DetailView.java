package io.vippanel.servers.web;

import io.vippanel.jobs.Job;
import io.vippanel.platform.web.Csrf;
import io.vippanel.servers.FirewallRule;
import io.vippanel.servers.Server;
import io.vippanel.servers.ServerSshKey;
import io.vippanel.servers.ServerStatus;
import io.vippanel.servers.Servers;
import io.vippanel.servers.StackOptions;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One server's page: the server, its rules and keys, its last job, and what the last action left to show (field
 * errors with the values entered, the database password shown once, the sizes to resize to).
 */
public record DetailView(Server server, List<FirewallRule> rules, List<ServerSshKey> keys, @Nullable Job lastJob, boolean canManage,
                         Csrf csrf, Extras extras) {

    /** A rule every managed server has, whatever the extra rules say. */
    public record BaseRule(String port, String source, String purpose) {
    }

    public static final List<BaseRule> BASE_RULES = List.of(new BaseRule("22/tcp", "any", "SSH"),
            new BaseRule("80/tcp", "any", "HTTP"), new BaseRule("443/tcp", "any", "HTTPS"),
            new BaseRule("9100/tcp", "the panel only", "monitoring (node exporter)"));

    /**
     * @param errors  field errors of the last action, keyed by its form's fields
     * @param entered what was typed into that form, to show again
     */
    public record Extras(Map<String, String> errors, Map<String, String> entered, @Nullable String databasePassword,
                         @Nullable CatalogView resize) {

        public static final Extras NONE = new Extras(Map.of(), Map.of(), null, null);

        public Extras withResize(@Nullable CatalogView choices) {
            return new Extras(errors, entered, databasePassword, choices);
        }
    }

    public Map<String, String> errors() {
        return extras.errors();
    }

    public String entered(String field) {
        return extras.entered().getOrDefault(field, "");
    }

    public boolean ready() {
        return server.status() == ServerStatus.READY;
    }

    /** Reprovisioning is offered on a server that failed or is ready (to apply the configuration again). */
    public boolean canReprovision() {
        return canManage && (server.status() == ServerStatus.FAILED || server.status() == ServerStatus.READY);
    }

    public boolean provisioning() {
        return server.status() == ServerStatus.QUEUED || server.status() == ServerStatus.PROVISIONING;
    }

    public boolean canChange() {
        return canManage && ready();
    }

    public List<String> services() {
        return Servers.manageableServices(server.stack());
    }

    /** The last known state of a service, or N/A before the first check. */
    public String serviceState(String service) {
        return server.services().getOrDefault(service, ServerDisplay.NA);
    }

    public List<String> phpOffered() {
        return StackOptions.OFFERED_PHP_VERSIONS;
    }

    public boolean phpInstalled(String version) {
        return server.stack().phpVersions().contains(version);
    }

    public String location() {
        return server.providerKind().isCloud() ? String.valueOf(server.region()) + " · " + String.valueOf(server.size()) : "existing machine";
    }
}
