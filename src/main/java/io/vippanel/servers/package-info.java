/**
 * Servers: provider accounts (Hetzner, DigitalOcean, Vultr, AWS, custom SSH hosts), the server lifecycle from
 * create to delete, provisioning with Ansible, the panel's SSH keys and pinned host keys, people's SSH keys,
 * firewall rules, services and PHP versions.
 */
@org.jspecify.annotations.NullMarked
package io.vippanel.servers;
