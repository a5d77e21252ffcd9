--liquibase formatted sql

--changeset vip:010-dns-accounts splitStatements:false
--comment: DNS provider accounts, shared downwards like cloud provider accounts (007): the platform's PowerDNS is one account its customers use without reading its key.
CREATE TABLE dns_accounts (
    id              text NOT NULL PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants (id),
    owner_path      text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('powerdns', 'cloudflare', 'route53')),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    shared          boolean NOT NULL DEFAULT false,
    credentials     text NOT NULL,
    credential_hint text NOT NULL,
    -- Where the panel asks what the provider's servers answer (host or host:port), when the zone's NS names are
    -- not the way to reach them (a PowerDNS on a private address); empty: the zone's name servers.
    check_servers   jsonb NOT NULL DEFAULT '[]'::jsonb,
    last_checked_at timestamptz,
    last_check_ok   boolean,
    last_check_note text,
    created_by      text,
    created_at      timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);
ALTER TABLE dns_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY dns_accounts_scope ON dns_accounts
    USING (vip_scope_sees(owner_path)
           OR (shared AND starts_with(coalesce(current_setting('vip.scope', true), ''), owner_path)
               AND coalesce(current_setting('vip.scope', true), '') <> ''))
    WITH CHECK (vip_scope_sees(owner_path));
GRANT SELECT, INSERT, UPDATE, DELETE ON dns_accounts TO vip_app;
--rollback DROP TABLE dns_accounts;

--changeset vip:010-dns-zones splitStatements:false
--comment: A zone name has one owner over all tenants: the unique name is the lock, vip_dns_zone_taken lets the panel say so before the insert fails.
CREATE TABLE dns_zones (
    id                text NOT NULL PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants (id),
    -- Deliberately a plain reference: a shared account belongs to an ancestor tenant (see dns_accounts).
    account_id        text NOT NULL REFERENCES dns_accounts (id),
    name              text NOT NULL UNIQUE,
    provider_zone_id  text,
    nameservers       jsonb NOT NULL DEFAULT '[]'::jsonb,
    status            text NOT NULL CHECK (status IN ('pending', 'active', 'syncing', 'failed', 'deleting')),
    status_note       text,
    dnssec            boolean NOT NULL DEFAULT false,
    ds_records        jsonb NOT NULL DEFAULT '[]'::jsonb,
    drift             jsonb,
    drift_checked_at  timestamptz,
    applied_at        timestamptz,
    -- One job at a time gives a zone's changes to its provider: the holder's lease, renewed by nothing, expires.
    sync_lease_until  timestamptz,
    last_job_id       text,
    created_by        text,
    created_at        timestamptz NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX dns_zones_tenant_idx ON dns_zones (tenant_id, name);
ALTER TABLE dns_zones ENABLE ROW LEVEL SECURITY;
CREATE POLICY dns_zones_scope ON dns_zones
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_zones.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_zones.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON dns_zones TO vip_app;

CREATE FUNCTION vip_dns_zone_taken(p_name text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM dns_zones WHERE name = lower(p_name))
$$;
-- Zones made through an account, in every tenant: a shared account may serve customers the owner cannot see.
CREATE FUNCTION vip_dns_account_zones(p_account_id text) RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::int FROM dns_zones WHERE account_id = p_account_id
$$;
--rollback DROP FUNCTION vip_dns_account_zones(text);
--rollback DROP FUNCTION vip_dns_zone_taken(text);
--rollback DROP TABLE dns_zones;

--changeset vip:010-dns-records splitStatements:false
--comment: The records the panel wants each zone to hold, one row per value. dns_pending_sets names the record sets changed since the provider last took them: a sync replaces exactly those, so records made at the provider outside the panel are never deleted by a sync, only reported as drift.
CREATE TABLE dns_records (
    id         text NOT NULL PRIMARY KEY,
    tenant_id  text NOT NULL,
    zone_id    text NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS')),
    ttl        int NOT NULL CHECK (ttl BETWEEN 60 AND 604800),
    content    text NOT NULL,
    -- The site the panel made the record for (its A/AAAA); removed with the site when the user says so.
    site_id    text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (zone_id, name, type, content),
    FOREIGN KEY (tenant_id, zone_id) REFERENCES dns_zones (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX dns_records_site_idx ON dns_records (site_id) WHERE site_id IS NOT NULL;
ALTER TABLE dns_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY dns_records_scope ON dns_records
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_records.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_records.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON dns_records TO vip_app;

CREATE TABLE dns_pending_sets (
    tenant_id  text NOT NULL,
    zone_id    text NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (zone_id, name, type),
    FOREIGN KEY (tenant_id, zone_id) REFERENCES dns_zones (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE dns_pending_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY dns_pending_sets_scope ON dns_pending_sets
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_pending_sets.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = dns_pending_sets.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON dns_pending_sets TO vip_app;
--rollback DROP TABLE dns_pending_sets;
--rollback DROP TABLE dns_records;
