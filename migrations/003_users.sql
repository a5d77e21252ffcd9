--liquibase formatted sql

--changeset vip:003-users splitStatements:false
CREATE TABLE users (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants (id),
    email           text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    role            text NOT NULL CHECK (role IN ('superadmin', 'admin', 'reseller', 'client')),
    status          text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
    password_hash   text,
    totp_secret     text,
    totp_enabled_at timestamptz,
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    totp_last_step  bigint,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX users_email_idx ON users (email);
CREATE INDEX users_tenant_idx ON users (tenant_id);

-- Row-level security for every tenant-owned table: the row's tenant must lie inside the scope.
CREATE FUNCTION vip_tenant_visible(p_tenant_id text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM tenants t WHERE t.id = p_tenant_id AND vip_scope_sees(t.path))
$$;

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_scope ON users USING (vip_tenant_visible(tenant_id)) WITH CHECK (vip_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON users TO vip_app;

-- Emails are unique across the platform; this answers for rows the caller cannot see, without revealing them.
CREATE FUNCTION vip_email_taken(p_email text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM users WHERE email = p_email)
$$;

-- The name of the nearest tenant (the given one or an ancestor) whose user limit is already reached, or null.
-- Users are counted over each limiting tenant's whole subtree, which the caller may not be able to see.
CREATE FUNCTION vip_user_limit_reached(p_tenant_id text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  full_tenant text;
BEGIN
  SELECT a.name INTO full_tenant
    FROM tenants t JOIN tenants a ON starts_with(t.path, a.path)
   WHERE t.id = p_tenant_id AND a.max_users IS NOT NULL
     AND (SELECT count(*) FROM users u JOIN tenants s ON s.id = u.tenant_id
           WHERE starts_with(s.path, a.path) AND u.status <> 'disabled') >= a.max_users
   ORDER BY length(a.path) DESC LIMIT 1;
  RETURN full_tenant;
END
$$;

CREATE TABLE recovery_codes (
    tenant_id  text NOT NULL,
    user_id    text NOT NULL,
    code_hash  text NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY recovery_codes_scope ON recovery_codes USING (vip_tenant_visible(tenant_id)) WITH CHECK (vip_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO vip_app;

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    tenant_id    text NOT NULL,
    user_id      text NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_scope ON api_tokens USING (vip_tenant_visible(tenant_id)) WITH CHECK (vip_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON api_tokens TO vip_app;

CREATE TABLE user_sessions (
    id           text PRIMARY KEY,
    tenant_id    text NOT NULL,
    user_id      text NOT NULL,
    session_hash text NOT NULL UNIQUE,
    ip           text NOT NULL,
    user_agent   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_sessions_scope ON user_sessions USING (vip_tenant_visible(tenant_id)) WITH CHECK (vip_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON user_sessions TO vip_app;

-- Single-use links: first-run setup, invitations, password resets. Only a hash of the token is kept.
CREATE TABLE one_time_tokens (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants (id),
    user_id    text,
    purpose    text NOT NULL CHECK (purpose IN ('setup', 'invite', 'reset')),
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
ALTER TABLE one_time_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY one_time_tokens_scope ON one_time_tokens USING (vip_tenant_visible(tenant_id)) WITH CHECK (vip_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON one_time_tokens TO vip_app;
--rollback DROP TABLE one_time_tokens;
--rollback DROP TABLE user_sessions;
--rollback DROP TABLE api_tokens;
--rollback DROP TABLE recovery_codes;
--rollback DROP TABLE users;
--rollback DROP FUNCTION vip_user_limit_reached(text);
--rollback DROP FUNCTION vip_email_taken(text);
--rollback DROP FUNCTION vip_tenant_visible(text);
