package io.vippanel.sites;

import io.vippanel.platform.Ids;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.Validation;
import io.vippanel.servers.DatabaseEngine;
import io.vippanel.servers.Server;
import io.vippanel.servers.Servers;
import io.vippanel.sites.internal.DatabaseNames;
import io.vippanel.sites.internal.SiteJobTypes;
import io.vippanel.sites.internal.SiteRecord;
import io.vippanel.sites.internal.SiteSecrets;
import io.vippanel.sites.internal.SiteServiceRepository;
import io.vippanel.sites.internal.SiteServiceRepository.DatabaseRow;
import io.vippanel.tenancy.Actor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A site's databases on its server's database server (MariaDB or PostgreSQL), each with its own user that may use
 * only that database. Names are unique per server over all tenants; the password is generated, kept encrypted, shown
 * once when made and then only on an audited request. Every change runs one job that makes the server hold the
 * site's whole set.
 */
@Service
public class SiteDatabases {

    public static final int PASSWORD_LENGTH = 32;

    private final SiteServiceSupport support;
    private final SiteServiceRepository repository;
    private final SiteSecrets secrets;
    private final Servers servers;
    private final Clock clock;

    SiteDatabases(SiteServiceSupport support, SiteServiceRepository repository, SiteSecrets secrets, Servers servers, Clock clock) {
        this.support = support;
        this.repository = repository;
        this.secrets = secrets;
        this.servers = servers;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<SiteDatabase> list(Actor actor, String siteId) {
        SiteRecord site = support.visible(actor, siteId);
        return repository.databases(site.id()).stream().map(DatabaseRow::view).toList();
    }

    /**
     * Records the database {@code pending} with a new password and queues the job that creates it.
     *
     * @throws InvalidInput on {@code name} or {@code username}, or on {@code site} when its server has no database server
     */
    @Transactional
    public DatabaseCreated create(Actor actor, String siteId, @Nullable String name, @Nullable String username) {
        SiteRecord site = support.onServer(actor, siteId);
        Validation validation = new Validation();
        String database = DatabaseNames.name(validation, "name", name);
        String user = DatabaseNames.user(validation, "username", username == null || username.isBlank() ? database : username);
        validation.throwIfInvalid();
        DatabaseEngine engine = engine(actor, site);
        if (repository.databaseNameTaken(site.serverId(), database)) {
            validation.reject("name", "The server already has a database or user named " + database + ".");
        }
        if (!user.equals(database) && repository.databaseNameTaken(site.serverId(), user)) {
            validation.reject("username", "The server already has a database or user named " + user + ".");
        }
        validation.throwIfInvalid();
        String id = Ids.newId("db");
        String password = Ids.randomToken(PASSWORD_LENGTH);
        repository.insertDatabase(new DatabaseRow(id, site.tenantId(), site.id(), site.serverId(), engine.key(), database, user,
                secrets.seal(SiteSecrets.DATABASE_PASSWORD, id, password), "pending", null, clock.instant()), actor.userId());
        String jobId = sync(actor, site, "Create database " + database + " for " + site.domain());
        support.audit(actor, site, "site.database.created", Map.of("database", id, "name", database, "username", user,
                "engine", engine.key(), "job", jobId));
        return new DatabaseCreated(row(site, id).view(), password, jobId);
    }

    /** Marks the database {@code removing} and queues the job that drops it (and its user); the row goes after that. */
    @Transactional
    public String delete(Actor actor, String siteId, String databaseId) {
        SiteRecord site = support.onServer(actor, siteId);
        DatabaseRow database = row(site, databaseId);
        if (database.status().equals("removing")) {
            throw new InvalidInput("database", "The database " + database.name() + " is already being removed.");
        }
        repository.setDatabaseStatus(database.id(), "removing", null);
        String jobId = sync(actor, site, "Drop database " + database.name() + " of " + site.domain());
        support.audit(actor, site, "site.database.deleted", Map.of("database", database.id(), "name", database.name(), "job", jobId));
        return jobId;
    }

    /** Generates a new password, shown this once, and queues the job that sets it on the server. */
    @Transactional
    public DatabaseCreated changePassword(Actor actor, String siteId, String databaseId) {
        SiteRecord site = support.onServer(actor, siteId);
        DatabaseRow database = row(site, databaseId);
        if (database.status().equals("removing")) {
            throw new InvalidInput("database", "The database " + database.name() + " is being removed.");
        }
        String password = Ids.randomToken(PASSWORD_LENGTH);
        repository.setDatabasePassword(database.id(), secrets.seal(SiteSecrets.DATABASE_PASSWORD, database.id(), password));
        String jobId = sync(actor, site, "New password for database " + database.name() + " of " + site.domain());
        support.audit(actor, site, "site.database.password_changed", Map.of("database", database.id(), "name", database.name(),
                "job", jobId));
        return new DatabaseCreated(row(site, database.id()).view(), password, jobId);
    }

    /** The database user's password; every showing is audited. */
    @Transactional
    public String revealPassword(Actor actor, String siteId, String databaseId) {
        SiteRecord site = support.manageable(actor, siteId);
        DatabaseRow database = row(site, databaseId);
        String password = secrets.open(SiteSecrets.DATABASE_PASSWORD, database.id(), database.sealedPassword());
        support.audit(actor, site, "site.database.password_viewed", Map.of("database", database.id(), "name", database.name()));
        return password;
    }

    private DatabaseEngine engine(Actor actor, SiteRecord site) {
        Server server = servers.get(actor, site.serverId());
        DatabaseEngine engine = server.stack().database();
        if (engine == DatabaseEngine.NONE) {
            throw new InvalidInput("site", "This server has no database server; databases need a server provisioned with MariaDB or PostgreSQL.");
        }
        return engine;
    }

    private DatabaseRow row(SiteRecord site, String databaseId) {
        SiteServiceSupport.requireId("Database", "db", databaseId);
        return repository.database(site.id(), databaseId).orElseThrow(() -> new NotFound("Database", databaseId));
    }

    private String sync(Actor actor, SiteRecord site, String title) {
        return support.enqueue(actor, site, SiteJobTypes.DATABASES, title, Map.of()).id();
    }
}
