--liquibase formatted sql

--changeset vip:007-provider-accounts splitStatements:false
--comment: Cloud provider accounts. A tenant's own accounts are seen in its subtree like any tenant-owned row. An account marked shared is also usable (never readable in clear: the credentials are ciphertext bound to the row) by every tenant below its owner, which is the deliberate sharing of a platform's or reseller's account with its customers; owner_path is the owner tenant's path, copied so the policy needs no lookup of an ancestor the scope cannot see.
CREATE TABLE provider_accounts (
    id              text NOT NULL PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants (id),
    owner_path      text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('hetzner', 'digitalocean', 'vultr', 'aws')),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    shared          boolean NOT NULL DEFAULT false,
    credentials     text NOT NULL,
    credential_hint text NOT NULL,
    default_region  text,
    last_checked_at timestamptz,
    last_check_ok   boolean,
    last_check_note text,
    created_by      text,
    created_at      timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);
ALTER TABLE provider_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY provider_accounts_scope ON provider_accounts
    USING (vip_scope_sees(owner_path)
           OR (shared AND starts_with(coalesce(current_setting('vip.scope', true), ''), owner_path)
               AND coalesce(current_setting('vip.scope', true), '') <> ''))
    WITH CHECK (vip_scope_sees(owner_path));
GRANT SELECT, INSERT, UPDATE, DELETE ON provider_accounts TO vip_app;
--rollback DROP TABLE provider_accounts;

--changeset vip:007-servers splitStatements:false
CREATE TABLE servers (
    id                     text NOT NULL PRIMARY KEY,
    tenant_id              text NOT NULL REFERENCES tenants (id),
    name                   text NOT NULL,
    provider_kind          text NOT NULL CHECK (provider_kind IN ('hetzner', 'digitalocean', 'vultr', 'aws', 'custom')),
    -- Deliberately a plain reference: a shared account belongs to an ancestor tenant (see provider_accounts).
    provider_account_id    text REFERENCES provider_accounts (id),
    provider_vm_id         text,
    provider_key_id        text,
    region                 text,
    size                   text,
    image                  text NOT NULL,
    provider_image         text,
    status                 text NOT NULL CHECK (status IN ('queued', 'provisioning', 'ready', 'failed', 'deleting')),
    status_note            text,
    failed_step            text,
    ipv4                   text,
    ipv6                   text,
    ssh_port               int NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user               text NOT NULL,
    admin_user             text NOT NULL,
    host_keys              text,
    panel_private_key      text NOT NULL,
    panel_public_key       text NOT NULL,
    retired_private_key    text,
    panel_key_created_at   timestamptz NOT NULL,
    bootstrap_secret       text,
    bootstrap_kind         text CHECK (bootstrap_kind IN ('password', 'key')),
    database_root_password text,
    stack                  jsonb NOT NULL,
    facts                  jsonb NOT NULL DEFAULT '{}'::jsonb,
    services               jsonb NOT NULL DEFAULT '{}'::jsonb,
    services_checked_at    timestamptz,
    uptime_seconds         bigint,
    last_seen_at           timestamptz,
    provisioned_at         timestamptz,
    last_job_id            text,
    created_by             text,
    created_at             timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);
CREATE INDEX servers_tenant_idx ON servers (tenant_id, created_at DESC);
CREATE UNIQUE INDEX servers_provider_vm_idx ON servers (provider_account_id, provider_vm_id) WHERE provider_vm_id IS NOT NULL;
ALTER TABLE servers ENABLE ROW LEVEL SECURITY;
CREATE POLICY servers_scope ON servers
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = servers.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = servers.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON servers TO vip_app;

-- Counted over the whole subtree of every ancestor with a limit, past row-level security, like users.
CREATE FUNCTION vip_server_limit_reached(p_tenant_id text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  full_tenant text;
BEGIN
  SELECT a.name INTO full_tenant
    FROM tenants t JOIN tenants a ON a.id = ANY (string_to_array(btrim(t.path, '/'), '/')) AND starts_with(t.path, a.path)
   WHERE t.id = p_tenant_id AND a.max_servers IS NOT NULL
     AND (SELECT count(*) FROM servers s JOIN tenants o ON o.id = s.tenant_id
           WHERE starts_with(o.path, a.path)) >= a.max_servers
   ORDER BY length(a.path) DESC LIMIT 1;
  RETURN full_tenant;
END
$$;
-- Servers made through an account, in every tenant: a shared account may serve customers the owner cannot see.
CREATE FUNCTION vip_provider_account_servers(p_account_id text) RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::int FROM servers WHERE provider_account_id = p_account_id
$$;
--rollback DROP FUNCTION vip_provider_account_servers(text);
--rollback DROP FUNCTION vip_server_limit_reached(text);
--rollback DROP TABLE servers;

--changeset vip:007-server-access splitStatements:false
CREATE TABLE server_ssh_keys (
    id          text NOT NULL PRIMARY KEY,
    tenant_id   text NOT NULL,
    server_id   text NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    public_key  text NOT NULL,
    key_type    text NOT NULL,
    bits        int NOT NULL,
    fingerprint text NOT NULL,
    status      text NOT NULL CHECK (status IN ('pending', 'installed', 'removing', 'failed')),
    created_by  text,
    created_at  timestamptz NOT NULL,
    UNIQUE (server_id, fingerprint),
    FOREIGN KEY (tenant_id, server_id) REFERENCES servers (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE server_ssh_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY server_ssh_keys_scope ON server_ssh_keys
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = server_ssh_keys.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = server_ssh_keys.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON server_ssh_keys TO vip_app;

CREATE TABLE firewall_rules (
    id         text NOT NULL PRIMARY KEY,
    tenant_id  text NOT NULL,
    server_id  text NOT NULL,
    port       text NOT NULL,
    protocol   text NOT NULL CHECK (protocol IN ('tcp', 'udp')),
    source     text NOT NULL,
    comment    text NOT NULL DEFAULT '',
    status     text NOT NULL CHECK (status IN ('pending', 'applied', 'removing', 'failed')),
    created_by text,
    created_at timestamptz NOT NULL,
    UNIQUE (server_id, port, protocol, source),
    FOREIGN KEY (tenant_id, server_id) REFERENCES servers (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE firewall_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY firewall_rules_scope ON firewall_rules
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = firewall_rules.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = firewall_rules.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON firewall_rules TO vip_app;
--rollback DROP TABLE firewall_rules;
--rollback DROP TABLE server_ssh_keys;
