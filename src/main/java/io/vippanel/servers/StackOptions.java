package io.vippanel.servers;

import java.util.List;

/**
 * What the provisioning playbook installs besides the hardened base.
 *
 * @param phpVersions        PHP versions to install, e.g. {@code ["8.3", "8.2"]}; empty for none
 * @param phpDefaultVersion  the one {@code php} on the command line means; one of {@code phpVersions}, or empty
 *                           when there is no PHP
 */
public record StackOptions(String webServer, List<String> phpVersions, String phpDefaultVersion, DatabaseEngine database,
                           boolean nodejs, boolean redis) {

    /** The PHP versions the wizard offers (those with security support and vendor packages). */
    public static final List<String> OFFERED_PHP_VERSIONS = List.of("8.4", "8.3", "8.2", "8.1");

    public StackOptions {
        phpVersions = List.copyOf(phpVersions);
    }
}
