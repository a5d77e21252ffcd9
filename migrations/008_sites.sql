--liquibase formatted sql

--changeset vip:008-sites splitStatements:false
--validCheckSum: 9:c3e47a7c564e3d53b473b315232e0287
--comment: Sites on managed servers. A site belongs to its server's tenant ((tenant_id, server_id) references servers), so a cross-tenant site is impossible in the database itself; it goes when its server goes. Secrets (deploy key, webhook secret, environment) are ciphertext bound to the row.
CREATE TABLE sites (
    id                     text NOT NULL PRIMARY KEY,
    tenant_id              text NOT NULL REFERENCES tenants (id),
    server_id              text NOT NULL,
    type                   text NOT NULL CHECK (type IN ('static', 'php', 'laravel', 'wordpress', 'nodejs')),
    domain                 text NOT NULL,
    aliases                text[] NOT NULL DEFAULT '{}',
    redirect_aliases       boolean NOT NULL DEFAULT true,
    web_root               text NOT NULL DEFAULT '',
    php_version            text,
    app_port               int CHECK (app_port BETWEEN 1024 AND 65535),
    -- Quoted: PostgreSQL 16+ reads a bare system_user as the SQL function SYSTEM_USER (the embedded server is 17).
    "system_user"          text NOT NULL CHECK ("system_user" ~ '^[a-z][a-z0-9_]{2,31}$'),
    deploy_source          text NOT NULL CHECK (deploy_source IN ('git', 'archive', 'none')),
    repository_url         text,
    branch                 text,
    deploy_key_private     text NOT NULL,
    deploy_key_public      text NOT NULL,
    deploy_script          text NOT NULL DEFAULT '',
    shared_paths           text[] NOT NULL DEFAULT '{}',
    keep_releases          int NOT NULL DEFAULT 5 CHECK (keep_releases BETWEEN 1 AND 50),
    webhook_secret         text NOT NULL,
    environment            text,
    deploy_on_env_change   boolean NOT NULL DEFAULT false,
    nginx_custom           text NOT NULL DEFAULT '',
    waf                    text NOT NULL DEFAULT 'off' CHECK (waf IN ('off', 'detect', 'block')),
    waf_available          boolean,
    waf_note               text,
    status                 text NOT NULL CHECK (status IN ('queued', 'creating', 'ready', 'suspended', 'failed', 'deleting')),
    status_note            text,
    failed_step            text,
    current_release        text,
    current_commit         text,
    last_deployed_at       timestamptz,
    last_deployment_status text,
    last_job_id            text,
    created_by             text,
    created_at             timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (server_id, "system_user"),
    UNIQUE (server_id, app_port),
    FOREIGN KEY (tenant_id, server_id) REFERENCES servers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sites_tenant_idx ON sites (tenant_id, created_at DESC);
CREATE INDEX sites_server_idx ON sites (server_id);
ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
CREATE POLICY sites_scope ON sites
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = sites.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = sites.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON sites TO vip_app;

-- Every host name a site answers to (its domain and aliases), unique over all tenants: one name, one site.
CREATE TABLE site_domains (
    domain    text NOT NULL PRIMARY KEY,
    tenant_id text NOT NULL,
    site_id   text NOT NULL,
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX site_domains_site_idx ON site_domains (site_id);
ALTER TABLE site_domains ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_domains_scope ON site_domains
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_domains.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_domains.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_domains TO vip_app;

-- Past row-level security, answering only yes or no: whether a name is taken by a site other than p_site_id.
CREATE FUNCTION vip_site_domain_taken(p_domain text, p_site_id text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM site_domains WHERE domain = lower(p_domain) AND site_id IS DISTINCT FROM p_site_id)
$$;
-- Counted over the whole subtree of every ancestor with a limit, past row-level security, like servers.
CREATE FUNCTION vip_site_limit_reached(p_tenant_id text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  full_tenant text;
BEGIN
  SELECT a.name INTO full_tenant
    FROM tenants t JOIN tenants a ON a.id = ANY (string_to_array(btrim(t.path, '/'), '/')) AND starts_with(t.path, a.path)
   WHERE t.id = p_tenant_id AND a.max_sites IS NOT NULL
     AND (SELECT count(*) FROM sites s JOIN tenants o ON o.id = s.tenant_id
           WHERE starts_with(o.path, a.path)) >= a.max_sites
   ORDER BY length(a.path) DESC LIMIT 1;
  RETURN full_tenant;
END
$$;
--rollback DROP FUNCTION vip_site_limit_reached(text);
--rollback DROP FUNCTION vip_site_domain_taken(text, text);
--rollback DROP TABLE site_domains;
--rollback DROP TABLE sites;

--changeset vip:008-site-deployments splitStatements:false
CREATE TABLE site_deployments (
    id                text NOT NULL PRIMARY KEY,
    tenant_id         text NOT NULL,
    site_id           text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('deploy', 'rollback')),
    trigger           text NOT NULL CHECK (trigger IN ('create', 'manual', 'webhook', 'environment', 'rollback')),
    release           text,
    release_pruned    boolean NOT NULL DEFAULT false,
    commit_hash       text,
    commit_message    text,
    branch            text,
    rollback_of       text,
    status            text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    failed_step       text,
    status_note       text,
    steps             jsonb NOT NULL DEFAULT '[]'::jsonb,
    job_id            text,
    requested_by      text,
    requested_by_name text,
    started_at        timestamptz,
    finished_at       timestamptz,
    duration_ms       bigint,
    created_at        timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX site_deployments_site_idx ON site_deployments (site_id, created_at DESC);
ALTER TABLE site_deployments ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_deployments_scope ON site_deployments
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_deployments.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_deployments.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_deployments TO vip_app;

-- Webhook deliveries already taken, so a replayed delivery (same id) deploys nothing.
CREATE TABLE site_webhook_deliveries (
    site_id     text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    delivery_id text NOT NULL CHECK (length(delivery_id) BETWEEN 1 AND 200),
    received_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, delivery_id)
);
ALTER TABLE site_webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_webhook_deliveries_scope ON site_webhook_deliveries
    USING (EXISTS (SELECT 1 FROM sites s JOIN tenants t ON t.id = s.tenant_id
                    WHERE s.id = site_webhook_deliveries.site_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM sites s JOIN tenants t ON t.id = s.tenant_id
                         WHERE s.id = site_webhook_deliveries.site_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, DELETE ON site_webhook_deliveries TO vip_app;
--rollback DROP TABLE site_webhook_deliveries;
--rollback DROP TABLE site_deployments;

--changeset vip:008-site-services splitStatements:false
CREATE TABLE site_databases (
    id          text NOT NULL PRIMARY KEY,
    tenant_id   text NOT NULL,
    site_id     text NOT NULL,
    server_id   text NOT NULL,
    engine      text NOT NULL CHECK (engine IN ('mariadb', 'postgresql')),
    name        text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{1,63}$'),
    username    text NOT NULL CHECK (username ~ '^[a-z][a-z0-9_]{1,31}$'),
    password    text NOT NULL,
    status      text NOT NULL CHECK (status IN ('pending', 'present', 'removing', 'failed')),
    status_note text,
    created_by  text,
    created_at  timestamptz NOT NULL,
    UNIQUE (server_id, name),
    UNIQUE (server_id, username),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE site_databases ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_databases_scope ON site_databases
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_databases.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_databases.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_databases TO vip_app;
-- Database names and users are per server, over all tenants' sites on it.
CREATE FUNCTION vip_database_name_taken(p_server_id text, p_name text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM site_databases WHERE server_id = p_server_id AND (name = p_name OR username = p_name))
$$;

CREATE TABLE site_cron_jobs (
    id          text NOT NULL PRIMARY KEY,
    tenant_id   text NOT NULL,
    site_id     text NOT NULL,
    expression  text NOT NULL CHECK (length(expression) BETWEEN 1 AND 100),
    command     text NOT NULL CHECK (length(command) BETWEEN 1 AND 1000),
    description text NOT NULL DEFAULT '',
    status      text NOT NULL CHECK (status IN ('pending', 'applied', 'removing', 'failed')),
    created_by  text,
    created_at  timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE site_cron_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_cron_jobs_scope ON site_cron_jobs
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_cron_jobs.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_cron_jobs.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_cron_jobs TO vip_app;

CREATE TABLE site_workers (
    id          text NOT NULL PRIMARY KEY,
    tenant_id   text NOT NULL,
    site_id     text NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    command     jsonb NOT NULL,
    processes   int NOT NULL CHECK (processes BETWEEN 1 AND 20),
    status      text NOT NULL CHECK (status IN ('pending', 'active', 'inactive', 'failed', 'removing')),
    status_note text,
    checked_at  timestamptz,
    created_by  text,
    created_at  timestamptz NOT NULL,
    UNIQUE (site_id, name),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE site_workers ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_workers_scope ON site_workers
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_workers.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_workers.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_workers TO vip_app;
--rollback DROP TABLE site_workers;
--rollback DROP TABLE site_cron_jobs;
--rollback DROP FUNCTION vip_database_name_taken(text, text);
--rollback DROP TABLE site_databases;

--changeset vip:008-server-automation-lease splitStatements:false
--comment: One playbook of other modules (sites, later mail and backups) at a time per server: nginx -t judges the whole configuration, so a second run's half-written file would fail the first one's check. A lease, not a lock held by a connection, so a crashed worker's claim simply expires.
ALTER TABLE servers ADD COLUMN automation_lease_job text;
ALTER TABLE servers ADD COLUMN automation_lease_until timestamptz;
--rollback ALTER TABLE servers DROP COLUMN automation_lease_until;
--rollback ALTER TABLE servers DROP COLUMN automation_lease_job;
