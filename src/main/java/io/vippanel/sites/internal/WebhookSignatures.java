package io.vippanel.sites.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Whether a push notification comes from the repository host that holds the site's webhook secret: GitHub signs the
 * raw body ({@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}), GitLab sends the secret itself
 * ({@code X-Gitlab-Token}). Both are compared in constant time.
 */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** Which host sent the notification, judged by its headers. */
    public enum Sender {
        GITHUB,
        GITLAB,
        UNKNOWN
    }

    public static Sender sender(@Nullable String githubSignature, @Nullable String gitlabToken) {
        if (githubSignature != null) {
            return Sender.GITHUB;
        }
        return gitlabToken != null ? Sender.GITLAB : Sender.UNKNOWN;
    }

    /** Whether {@code header} is {@code sha256=} and the HMAC-SHA256 of {@code body} under {@code secret}, in hex. */
    public static boolean githubValid(@Nullable String header, byte[] body, String secret) {
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmac(body, secret));
    }

    public static boolean gitlabValid(@Nullable String token, String secret) {
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256=<hex>}, as GitHub would send it for this body and secret. */
    public static String githubSignature(byte[] body, String secret) {
        return "sha256=" + HexFormat.of().formatHex(hmac(body, secret));
    }

    private static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
