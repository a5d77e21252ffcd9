package io.vippanel.servers;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The create wizard's answers, as entered; {@link Servers#create} validates them.
 *
 * @param provider      a provider account id, or {@code custom} for a server that already exists
 * @param region        cloud only: a region of the account's catalog
 * @param size          cloud only: a size offered in that region
 * @param image         an {@link OsImage} name; for a custom server, what it runs
 * @param sshKeys       people's public keys to install, one per line (may be empty)
 * @param address       custom only: the server's IPv4 or IPv6 address
 * @param sshPort       custom only, default 22
 * @param sshUser       custom only: root or a user with password-less sudo
 * @param authMethod    custom only: {@code password} or {@code key}, used once to install the panel's own key
 * @param password      custom only, with {@code password}
 * @param privateKey    custom only, with {@code key}: an unencrypted private key
 */
public record NewServer(@Nullable String provider, @Nullable String name, @Nullable String region, @Nullable String size,
                        @Nullable String image, @Nullable String sshKeys, @Nullable String webServer,
                        @Nullable List<String> phpVersions, @Nullable String phpDefaultVersion, @Nullable String database,
                        boolean nodejs, boolean redis, @Nullable String address, @Nullable String sshPort,
                        @Nullable String sshUser, @Nullable String authMethod, @Nullable String password,
                        @Nullable String privateKey) {

    public boolean custom() {
        return "custom".equals(provider);
    }

    /** Names only: the password and private key stay out of logs. */
    @Override
    public String toString() {
        return "NewServer[" + provider + ", " + name + ", " + region + ", " + size + ", " + image + ", " + address + "]";
    }
}
