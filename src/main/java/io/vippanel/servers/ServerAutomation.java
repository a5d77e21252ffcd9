package io.vippanel.servers;

import io.vippanel.automation.PlaybookResult;
import io.vippanel.jobs.JobContext;
import io.vippanel.jobs.JobFailure;
import io.vippanel.servers.internal.ServerRecord;
import io.vippanel.servers.internal.ServerWork;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Remote work other modules do on a server (sites, later mail and backups): a named playbook run as the server's
 * admin user with the panel's key and the pinned host keys, from a job on a worker. Only a {@code ready} server
 * takes such work; anything else fails the job for good with the server's state in the message.
 */
@Service
public class ServerAutomation {

    private final ServerWork work;

    public ServerAutomation(ServerWork work) {
        this.work = work;
    }

    /**
     * Runs {@code playbook} on the server with {@code vars} plus the variables every server playbook takes
     * ({@code panel_id}, {@code admin_user}, {@code ssh_port}, {@code panel_addresses}, …), which the caller's
     * variables may not replace.
     */
    public PlaybookResult playbook(JobContext job, String serverId, String playbook, Map<String, @Nullable Object> vars,
                                   Set<String> secretVars, @Nullable Duration timeout) {
        ServerRecord server = ServerWork.requireReady(work.reload(serverId));
        Map<String, @Nullable Object> all = new LinkedHashMap<>(vars);
        work.baseVars(server).forEach((name, value) -> {
            if (all.containsKey(name)) {
                throw JobFailure.permanent("The variable " + name + " belongs to the server and cannot be given.");
            }
            all.put(name, value);
        });
        return work.playbook(job, server, playbook, all, secretVars, timeout);
    }
}
