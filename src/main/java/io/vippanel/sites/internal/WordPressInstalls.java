package io.vippanel.sites.internal;

import io.vippanel.platform.Ids;
import io.vippanel.platform.Validation;
import io.vippanel.servers.DatabaseEngine;
import io.vippanel.sites.NewSite;
import io.vippanel.sites.WordPressAdmin;
import io.vippanel.sites.internal.SiteServiceRepository.DatabaseRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * WordPress sites the panel installs: what the install needs (title, first administrator, the database it uses) and
 * whether it happened. The administrator's password is sealed until the install used it and then set to null.
 */
@Repository
public class WordPressInstalls {

    public static final int ADMIN_PASSWORD_LENGTH = 24;
    /** What WordPress's sanitize_user keeps in strict mode, less the space (a login name people type in a form). */
    private static final Pattern ADMIN_USER = Pattern.compile("[A-Za-z0-9_.@-]{1,60}");

    /** A validated request to install WordPress. */
    public record Setup(String title, String adminUser, String adminEmail) {
    }

    /** The install of one site, its administrator's password sealed until used. */
    public record Install(String siteId, @Nullable String databaseId, String title, String adminUser, String adminEmail,
                          @Nullable String sealedAdminPassword, @Nullable Instant installedAt, @Nullable String version) {
    }

    private final JdbcClient jdbc;
    private final SiteServiceRepository services;
    private final SiteSecrets secrets;

    public WordPressInstalls(JdbcClient jdbc, SiteServiceRepository services, SiteSecrets secrets) {
        this.jdbc = jdbc;
        this.services = services;
        this.secrets = secrets;
    }

    /** Checks the wizard's WordPress answers; the title defaults to the domain. */
    public static @Nullable Setup setup(Validation validation, NewSite.@Nullable WordPressSetup form, String domain,
                                        DatabaseEngine engine) {
        if (engine != DatabaseEngine.MARIADB) {
            validation.reject("type", "WordPress needs MySQL or MariaDB, and this server has "
                    + (engine == DatabaseEngine.NONE ? "no database server" : engine.displayName())
                    + "; choose a server with MariaDB, or give a repository to deploy your own WordPress from.");
        }
        String title = form == null || form.title() == null || form.title().isBlank() ? domain
                : validation.requiredText("wordpressTitle", form.title(), 200);
        if (title.chars().anyMatch(Character::isISOControl)) {
            validation.reject("wordpressTitle", "The title cannot hold control characters such as tabs or line breaks.");
        }
        String user = form == null || form.adminUser() == null ? "" : form.adminUser().strip();
        if (!ADMIN_USER.matcher(user).matches()) {
            validation.reject("wordpressAdminUser", user.isEmpty() ? "Please choose the administrator's user name."
                    : "Use up to 60 letters, digits and the characters _ . @ - (no spaces).");
        }
        String email = validation.email("wordpressAdminEmail", form == null ? null : form.adminEmail());
        return validation.hasErrors() ? null : new Setup(title, user, email);
    }

    /**
     * Records the install with its own database (named after the site's Linux user, or with a number when a database
     * of that name exists) and a generated administrator password, returned for showing once.
     */
    public WordPressAdmin prepare(String tenantId, String siteId, String serverId, String systemUser, String domain, Setup setup,
                                  @Nullable String createdBy, Instant now) {
        String name = systemUser;
        for (int suffix = 2; services.databaseNameTaken(serverId, name); suffix++) {
            name = systemUser.substring(0, Math.min(systemUser.length(), 28)) + "_" + suffix;
        }
        String databaseId = Ids.newId("db");
        services.insertDatabase(new DatabaseRow(databaseId, tenantId, siteId, serverId, DatabaseEngine.MARIADB.key(), name, name,
                secrets.seal(SiteSecrets.DATABASE_PASSWORD, databaseId, Ids.randomToken(32)), "pending", null, now), createdBy);
        String password = Ids.randomToken(ADMIN_PASSWORD_LENGTH);
        jdbc.sql("""
                INSERT INTO site_wordpress (site_id, tenant_id, database_id, title, admin_user, admin_email, admin_password)
                VALUES (:site, :tenant, :database, :title, :user, :email, :password)
                """).param("site", siteId).param("tenant", tenantId).param("database", databaseId).param("title", setup.title())
                .param("user", setup.adminUser()).param("email", setup.adminEmail())
                .param("password", secrets.seal(SiteSecrets.WORDPRESS_ADMIN_PASSWORD, siteId, password)).update();
        return new WordPressAdmin(setup.adminUser(), setup.adminEmail(), password, "http://" + domain + "/wp-login.php");
    }

    public Optional<Install> find(String siteId) {
        return jdbc.sql("SELECT * FROM site_wordpress WHERE site_id = :site").param("site", siteId).query(WordPressInstalls::install)
                .optional();
    }

    /** The install ran: the administrator's password is forgotten, the core version recorded. */
    public void installed(String siteId, String version, Instant now) {
        jdbc.sql("""
                UPDATE site_wordpress SET admin_password = NULL, installed_at = COALESCE(installed_at, :now), version = :version
                WHERE site_id = :site
                """).param("site", siteId).param("version", version).param("now", Timestamp.from(now)).update();
    }

    private static Install install(ResultSet rs, int row) throws SQLException {
        Timestamp installed = rs.getTimestamp("installed_at");
        return new Install(rs.getString("site_id"), rs.getString("database_id"), rs.getString("title"), rs.getString("admin_user"),
                rs.getString("admin_email"), rs.getString("admin_password"), installed == null ? null : installed.toInstant(),
                rs.getString("version"));
    }
}
