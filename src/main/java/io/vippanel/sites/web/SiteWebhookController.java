package io.vippanel.sites.web;

import io.vippanel.platform.RateLimiter;
import io.vippanel.platform.VipProperties;
import io.vippanel.sites.internal.SiteWebhooks;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/sites/{siteId}}: push notifications from GitHub or GitLab. No session and no CSRF token: the
 * signature (or GitLab's token) is the credential, checked before anything else happens. Rate-limited per site and per
 * address; bodies larger than {@code vip.sites.webhook-max-body} are refused unread.
 */
@RestController
class SiteWebhookController {

    static final String PATH = "/hooks/sites/{siteId}";
    private static final int PER_ADDRESS_PER_MINUTE = 120;

    private final SiteWebhooks webhooks;
    private final RateLimiter rateLimiter;
    private final VipProperties.Sites settings;

    SiteWebhookController(SiteWebhooks webhooks, RateLimiter rateLimiter, VipProperties properties) {
        this.webhooks = webhooks;
        this.rateLimiter = rateLimiter;
        this.settings = properties.sites();
    }

    @PostMapping(PATH)
    ResponseEntity<Map<String, Object>> receive(@PathVariable String siteId, HttpServletRequest request) throws IOException {
        String key = siteId.length() > 40 ? siteId.substring(0, 40) : siteId;
        Optional<Duration> wait = rateLimiter.tryAcquire("hook-ip:" + request.getRemoteAddr(), PER_ADDRESS_PER_MINUTE)
                .or(() -> rateLimiter.tryAcquire("hook-site:" + key, settings.webhookPerMinute()));
        if (wait.isPresent()) {
            return ResponseEntity.status(429).header("Retry-After", Long.toString(wait.get().toSeconds()))
                    .body(answer("Too many webhook calls; try again in " + wait.get().toSeconds() + " seconds.", null));
        }
        long limit = settings.webhookMaxBody().toBytes();
        if (request.getContentLengthLong() > limit) {
            return ResponseEntity.status(413).body(answer("The body is larger than " + limit + " bytes.", null));
        }
        byte[] body = read(request.getInputStream(), limit);
        if (body == null) {
            return ResponseEntity.status(413).body(answer("The body is larger than " + limit + " bytes.", null));
        }
        String gitlabDelivery = Optional.ofNullable(request.getHeader("X-Gitlab-Event-UUID")).orElse(request.getHeader("Idempotency-Key"));
        SiteWebhooks.Answer answer = webhooks.receive(siteId, new SiteWebhooks.Delivery(request.getHeader("X-Hub-Signature-256"),
                request.getHeader("X-GitHub-Event"), request.getHeader("X-GitHub-Delivery"), request.getHeader("X-Gitlab-Token"),
                request.getHeader("X-Gitlab-Event"), gitlabDelivery, body));
        return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                .body(answer(answer.message(), answer.deploymentId()));
    }

    private static Map<String, Object> answer(String message, @Nullable String deploymentId) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message", message);
        if (deploymentId != null) {
            json.put("deploymentId", deploymentId);
        }
        return json;
    }

    /** The body, or {@code null} when it is longer than {@code limit} (a sender that gave no or a wrong length). */
    private static byte @Nullable [] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (out.size() + n > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
