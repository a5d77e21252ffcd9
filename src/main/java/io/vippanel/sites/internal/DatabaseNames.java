package io.vippanel.sites.internal;

import io.vippanel.platform.Validation;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Names of site databases and their users: lower-case identifiers that need no quoting and are not the server's own. */
public final class DatabaseNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{1,63}");
    private static final Pattern USER = Pattern.compile("[a-z][a-z0-9_]{1,31}");
    /** The database servers' own databases and accounts, and the panel's admin user. */
    private static final Set<String> RESERVED = Set.of("mysql", "information_schema", "performance_schema", "sys", "postgres",
            "template0", "template1", "root", "vipadmin", "vippanel", "admin", "mariadb", "debian_sys_maint", "mysql_sys",
            "pg_database_owner", "pg_monitor", "public", "test");

    private DatabaseNames() {
    }

    public static String name(Validation validation, String field, @Nullable String value) {
        return check(validation, field, value, NAME, 64);
    }

    public static String user(Validation validation, String field, @Nullable String value) {
        return check(validation, field, value, USER, 32);
    }

    private static String check(Validation validation, String field, @Nullable String value, Pattern pattern, int max) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            validation.reject(field, "Please fill this in.");
        } else if (!pattern.matcher(text).matches()) {
            validation.reject(field, "Use 2 to " + max + " lower-case letters, digits and _, starting with a letter.");
        } else if (RESERVED.contains(text) || text.startsWith("pg_") || text.startsWith("mysql")) {
            validation.reject(field, "[" + text + "] belongs to the database server; choose another name.");
        }
        return text;
    }
}
