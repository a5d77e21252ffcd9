package io.vippanel.servers.web;

import io.vippanel.servers.DatabaseEngine;
import io.vippanel.servers.NewServer;
import io.vippanel.servers.OsImage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The create wizard as typed. A form shown again after a refusal keeps every answer except the password and the
 * private key, which are never sent back to the browser.
 */
public record ServerForm(@Nullable String provider, @Nullable String name, @Nullable String region, @Nullable String size,
                         @Nullable String image, @Nullable String sshKeys, @Nullable List<String> phpVersions,
                         @Nullable String phpDefaultVersion, @Nullable String database, @Nullable String nodejs,
                         @Nullable String redis, @Nullable String address, @Nullable String sshPort, @Nullable String sshUser,
                         @Nullable String authMethod, @Nullable String password, @Nullable String privateKey) {

    public static final String CUSTOM = "custom";

    /** What a new wizard starts with: the newest Ubuntu LTS, PHP 8.3 and MariaDB, root over port 22. */
    public static final ServerForm EMPTY = new ServerForm("", "", "", "", OsImage.UBUNTU_24_04.name(), "", List.of("8.3"), "8.3",
            DatabaseEngine.MARIADB.key(), null, null, "", "22", "root", "password", null, null);

    public NewServer toNewServer() {
        return new NewServer(provider, name, region, size, image, sshKeys, "nginx", phpVersions == null ? List.of() : phpVersions,
                phpDefaultVersion, database, checked(nodejs), checked(redis), address, sshPort, sshUser, authMethod, password, privateKey);
    }

    /** The same answers without the secrets, to render again. */
    public ServerForm withoutSecrets() {
        return new ServerForm(provider, name, region, size, image, sshKeys, phpVersions, phpDefaultVersion, database, nodejs, redis,
                address, sshPort, sshUser, authMethod, null, null);
    }

    /** The wizard reloaded for another provider account or region keeps the rest. */
    public ServerForm withCatalogChoice(@Nullable String newProvider, @Nullable String newRegion) {
        return new ServerForm(newProvider, name, newRegion, size, image, sshKeys, phpVersions, phpDefaultVersion, database, nodejs,
                redis, address, sshPort, sshUser, authMethod, null, null);
    }

    public boolean custom() {
        return CUSTOM.equals(provider);
    }

    public boolean cloud() {
        return provider != null && !provider.isBlank() && !custom();
    }

    public String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    public boolean hasPhp(String version) {
        return phpVersions != null && phpVersions.contains(version);
    }

    public boolean nodejsChecked() {
        return checked(nodejs);
    }

    public boolean redisChecked() {
        return checked(redis);
    }

    public boolean keyAuth() {
        return "key".equals(authMethod);
    }

    private static boolean checked(@Nullable String value) {
        return value != null && (value.equals("on") || value.equals("true"));
    }

    /** Names only: the password and private key stay out of logs. */
    @Override
    public String toString() {
        return "ServerForm[" + provider + ", " + name + "]";
    }
}
