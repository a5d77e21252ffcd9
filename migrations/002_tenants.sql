--liquibase formatted sql

--changeset vip:002-tenants splitStatements:false
CREATE TABLE tenants (
    id            text PRIMARY KEY,
    parent_id     text REFERENCES tenants (id),
    kind          text NOT NULL CHECK (kind IN ('platform', 'reseller', 'client')),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    path          text NOT NULL UNIQUE,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    require_2fa   boolean NOT NULL DEFAULT false,
    max_servers   integer CHECK (max_servers >= 0),
    max_sites     integer CHECK (max_sites >= 0),
    max_mailboxes integer CHECK (max_mailboxes >= 0),
    max_users     integer CHECK (max_users >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'platform') = (parent_id IS NULL))
);
CREATE INDEX tenants_parent_idx ON tenants (parent_id);
CREATE INDEX tenants_path_idx ON tenants (path text_pattern_ops);
CREATE UNIQUE INDEX tenants_one_platform ON tenants (kind) WHERE kind = 'platform';

-- The scope a transaction may see: '*' for system work (login, bootstrap), else a tenant path prefix.
-- An unset or empty setting sees nothing, so a query outside a scoped transaction fails closed.
CREATE FUNCTION vip_scope_sees(tenant_path text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE coalesce(current_setting('vip.scope', true), '')
           WHEN '' THEN false
           WHEN '*' THEN true
           ELSE starts_with(tenant_path, current_setting('vip.scope', true))
         END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_scope ON tenants USING (vip_scope_sees(path)) WITH CHECK (vip_scope_sees(path));
GRANT SELECT, INSERT, UPDATE ON tenants TO vip_app;

-- What ancestors impose, even those outside the caller's scope; answers only yes or no.
CREATE FUNCTION vip_tenant_blocked(p_path text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM tenants a WHERE starts_with(p_path, a.path) AND a.status = 'suspended')
$$;
CREATE FUNCTION vip_tenant_2fa_required(p_path text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM tenants a WHERE starts_with(p_path, a.path) AND a.require_2fa)
$$;
--rollback DROP FUNCTION vip_tenant_2fa_required(text);
--rollback DROP FUNCTION vip_tenant_blocked(text);
--rollback DROP TABLE tenants;
--rollback DROP FUNCTION vip_scope_sees(text);
