package io.vippanel.sites;

import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.internal.DotEnv;
import io.vippanel.sites.internal.SiteJobTypes;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteRepository;
import io.vippanel.sites.internal.SiteSecrets;
import io.vippanel.tenancy.Actor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A site's environment: the {@code .env} text kept encrypted in the panel and written to {@code shared/.env}
 * (0600, the site user's) on the server. Reading it is audited; the audit trail and the jobs name the variables
 * that changed, never a value.
 */
@Service
public class SiteEnvironment {

    private final SiteServiceSupport support;
    private final SiteRepository repository;
    private final SiteSecrets secrets;
    private final Deployments deployments;

    SiteEnvironment(SiteServiceSupport support, SiteRepository repository, SiteSecrets secrets, Deployments deployments) {
        this.support = support;
        this.repository = repository;
        this.secrets = secrets;
        this.deployments = deployments;
    }

    /** The site's {@code .env} text ({@code ""} when none was set); every reading is audited. */
    @Transactional
    public String read(Actor actor, String siteId) {
        SiteRecord site = support.manageable(actor, siteId);
        String text = secrets.environment(site);
        support.audit(actor, site, "site.environment.viewed", Map.of("variables", DotEnv.parse(text).values().size()));
        return text;
    }

    /**
     * Checks and stores the text, then applies it on the server as asked. A site that is not on its server yet
     * (queued, creating, failed) only keeps the text: its first deployment writes it.
     *
     * @return the job applying it (for {@link EnvApply#DEPLOY}, the deployment's job, {@code null} while the deployment waits
     *         for one under way), or {@code null} when the site is not on its server yet
     * @throws InvalidInput on field {@code dotenv} naming the first bad line, or when the site cannot be deployed
     */
    @Transactional
    public @Nullable String write(Actor actor, String siteId, @Nullable String dotenv, EnvApply apply) {
        SiteRecord site = support.manageable(actor, siteId);
        DotEnv parsed = DotEnv.parse(dotenv == null ? "" : dotenv);
        List<String> changed = parsed.changedNames(DotEnv.parse(secrets.environment(site)));
        repository.setEnvironment(site.id(), parsed.text().isEmpty() ? null
                : secrets.seal(SiteSecrets.ENVIRONMENT, site.id(), parsed.text()));
        String jobId = null;
        if (SiteServiceSupport.existsOnServer(site) && apply == EnvApply.DEPLOY) {
            // The deployment writes shared/.env from the stored text before it builds the new release.
            try {
                jobId = deployments.deployAfterEnvironmentChange(actor, site.id()).jobId();
            } catch (InvalidInput e) {
                // Nothing is stored then (the transaction rolls back); the reason belongs to the choice of applying.
                throw new InvalidInput("apply", "The site cannot deploy now: " + String.join(" ", e.fieldErrors().values()));
            }
        } else if (SiteServiceSupport.existsOnServer(site)) {
            jobId = support.enqueue(actor, site, SiteJobTypes.ENVIRONMENT,
                    (apply == EnvApply.RELOAD ? "Write and reload the environment of " : "Write the environment of ") + site.domain(),
                    Map.of("apply", apply.key())).id();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("changed", changed);
        details.put("apply", apply.key());
        if (jobId != null) {
            details.put("job", jobId);
        }
        support.audit(actor, site, "site.environment.changed", details);
        return jobId;
    }
}
