package io.vippanel.sites.internal;

import io.vippanel.platform.crypto.EncryptedColumn;
import io.vippanel.platform.crypto.SecretBox;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Encrypts and decrypts the secrets a site holds (deploy key, webhook secret, environment, database
 * passwords, a WordPress administrator's password until the install used it), each
 * bound to its row and column; the columns are beans so that master-key rotation re-encrypts them.
 */
@Configuration(proxyBeanMethods = false)
public class SiteSecrets {

    public static final EncryptedColumn DEPLOY_KEY = new EncryptedColumn("sites", "id", "deploy_key_private");
    public static final EncryptedColumn WEBHOOK_SECRET = new EncryptedColumn("sites", "id", "webhook_secret");
    public static final EncryptedColumn ENVIRONMENT = new EncryptedColumn("sites", "id", "environment");
    public static final EncryptedColumn DATABASE_PASSWORD = new EncryptedColumn("site_databases", "id", "password");
    public static final EncryptedColumn WORDPRESS_ADMIN_PASSWORD = new EncryptedColumn("site_wordpress", "site_id", "admin_password");

    private final SecretBox box;

    public SiteSecrets(SecretBox box) {
        this.box = box;
    }

    public String seal(EncryptedColumn column, String rowId, String plaintext) {
        return box.encrypt(plaintext, column.boundTo(rowId));
    }

    public String open(EncryptedColumn column, String rowId, String ciphertext) {
        return box.decrypt(ciphertext, column.boundTo(rowId));
    }

    public String deployKey(SiteRecord site) {
        return open(DEPLOY_KEY, site.id(), site.sealedDeployKey());
    }

    public String webhookSecret(SiteRecord site) {
        return open(WEBHOOK_SECRET, site.id(), site.sealedWebhookSecret());
    }

    /** The site's {@code .env} text; empty when none was ever set. */
    public String environment(SiteRecord site) {
        @Nullable String sealed = site.sealedEnvironment();
        return sealed == null ? "" : open(ENVIRONMENT, site.id(), sealed);
    }

    @Bean
    static EncryptedColumn siteDeployKeyColumn() {
        return DEPLOY_KEY;
    }

    @Bean
    static EncryptedColumn siteWebhookSecretColumn() {
        return WEBHOOK_SECRET;
    }

    @Bean
    static EncryptedColumn siteEnvironmentColumn() {
        return ENVIRONMENT;
    }

    @Bean
    static EncryptedColumn siteDatabasePasswordColumn() {
        return DATABASE_PASSWORD;
    }

    @Bean
    static EncryptedColumn siteWordPressAdminPasswordColumn() {
        return WORDPRESS_ADMIN_PASSWORD;
    }
}
