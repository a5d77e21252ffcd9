package io.vippanel.servers;

import java.util.Locale;

/** The database server provisioned on a server. */
public enum DatabaseEngine {
    MARIADB("MariaDB"),
    POSTGRESQL("PostgreSQL"),
    NONE("None");

    private final String displayName;

    DatabaseEngine(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
