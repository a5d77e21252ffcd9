package io.vippanel.sites.internal;

import io.vippanel.platform.AuditEvent;
import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.sites.Deployment;
import io.vippanel.tenancy.SystemTransactions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push-to-deploy: a signed push notification for the site's branch starts a deployment; anything else changes
 * nothing. An unknown site and a wrong signature get the same answer, so the endpoint does not reveal which sites
 * exist; a delivery id seen before is not deployed again.
 */
@Component
public class SiteWebhooks {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SiteRepository sites;
    private final DeploymentRepository deployments;
    private final DeploymentQueue queue;
    private final SiteSecrets secrets;
    private final SystemTransactions tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public SiteWebhooks(SiteRepository sites, DeploymentRepository deployments, DeploymentQueue queue, SiteSecrets secrets,
                        SystemTransactions tx, ApplicationEventPublisher events, Clock clock) {
        this.sites = sites;
        this.deployments = deployments;
        this.queue = queue;
        this.secrets = secrets;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    /** The notification as received: the headers that matter and the raw body. */
    public record Delivery(@Nullable String githubSignature, @Nullable String githubEvent, @Nullable String githubDelivery,
                           @Nullable String gitlabToken, @Nullable String gitlabEvent, @Nullable String gitlabDelivery,
                           byte[] body) {
    }

    /** How the panel answered: an HTTP status and a short message. */
    public record Answer(int status, String message, @Nullable String deploymentId) {
        static Answer of(int status, String message) {
            return new Answer(status, message, null);
        }
    }

    public Answer receive(String siteId, Delivery delivery) {
        Answer refused = Answer.of(401, "The signature does not match (or there is no such site).");
        if (!Ids.looksLike("site", siteId)) {
            return refused;
        }
        try {
            return tx.call(() -> handle(siteId, delivery, refused));
        } catch (DeploymentConflict e) {
            return Answer.of(409, e.getMessage());
        } catch (InvalidInput e) {
            return Answer.of(409, e.getMessage());
        }
    }

    private Answer handle(String siteId, Delivery delivery, Answer refused) {
        Optional<SiteRecord> found = sites.find("/", siteId);
        if (found.isEmpty()) {
            // The same work as for a real site, so that the answer's timing does not tell which sites exist.
            WebhookSignatures.githubValid(delivery.githubSignature(), delivery.body(), siteId);
            return refused;
        }
        SiteRecord site = found.get();
        String secret = secrets.webhookSecret(site);
        WebhookSignatures.Sender sender = WebhookSignatures.sender(delivery.githubSignature(), delivery.gitlabToken());
        boolean valid = switch (sender) {
            case GITHUB -> WebhookSignatures.githubValid(delivery.githubSignature(), delivery.body(), secret);
            case GITLAB -> WebhookSignatures.gitlabValid(delivery.gitlabToken(), secret);
            case UNKNOWN -> false;
        };
        if (!valid) {
            return refused;
        }
        String event = sender == WebhookSignatures.Sender.GITHUB ? delivery.githubEvent() : delivery.gitlabEvent();
        if (sender == WebhookSignatures.Sender.GITHUB && "ping".equals(event)) {
            return Answer.of(200, "pong");
        }
        boolean push = sender == WebhookSignatures.Sender.GITHUB ? "push".equals(event) : "Push Hook".equals(event);
        if (!push) {
            return Answer.of(202, "Ignored: only push events deploy (this was " + shorten(event) + ").");
        }
        String deliveryId = sender == WebhookSignatures.Sender.GITHUB ? delivery.githubDelivery() : delivery.gitlabDelivery();
        if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 200) {
            return Answer.of(400, "The delivery id header (X-GitHub-Delivery, X-Gitlab-Event-UUID or Idempotency-Key) is missing.");
        }
        String ref;
        try {
            JsonNode body = JSON.readTree(delivery.body());
            ref = body.path("ref").asString("");
        } catch (JacksonException e) {
            return Answer.of(400, "The body is not JSON; set the webhook's content type to application/json.");
        }
        String wanted = "refs/heads/" + site.branch();
        if (site.branch() == null || !ref.equals(wanted)) {
            return Answer.of(202, "Ignored: the push is to " + shorten(ref) + ", the site deploys " + wanted + ".");
        }
        if (!deployments.recordDelivery(site.id(), deliveryId.strip(), clock.instant())) {
            return Answer.of(200, "Already handled: delivery " + shorten(deliveryId) + " was received before.");
        }
        Deployment deployment = queue.deploy(site, "webhook", null, sender == WebhookSignatures.Sender.GITHUB ? "GitHub webhook"
                : "GitLab webhook", null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sender", sender.name().toLowerCase(java.util.Locale.ROOT));
        details.put("delivery", deliveryId.strip());
        details.put("ref", ref);
        details.put("deployment", deployment.id());
        details.put("job", String.valueOf(deployment.jobId()));
        events.publishEvent(AuditEvent.success(site.tenantId(), null, null, "site.webhook.deploy", "site", site.id(), details));
        return new Answer(202, "Deploying " + site.branch() + ": deployment " + deployment.id() + ".", deployment.id());
    }

    private static String shorten(@Nullable String text) {
        String clean = text == null ? "nothing" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }
}
