--liquibase formatted sql

--changeset vip:004-audit-log splitStatements:false
CREATE TABLE audit_log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          text NOT NULL UNIQUE,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    actor_id    text,
    actor_email text,
    action      text NOT NULL,
    target_type text,
    target_id   text,
    outcome     text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    ip          text,
    user_agent  text,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, seq DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action);

-- One definition of what a link's hash covers, used by both the writer and `audit verify`.
CREATE FUNCTION audit_hash(a audit_log) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
           a.prev_hash, a.id, a.tenant_id, a.actor_id, a.actor_email, a.action, a.target_type, a.target_id,
           a.outcome, a.ip, a.user_agent, a.details,
           to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex')
$$;

-- The only way in: serialised so that every entry links to the one written before it.
CREATE FUNCTION audit_append(p_id text, p_tenant_id text, p_actor_id text, p_actor_email text, p_action text,
                             p_target_type text, p_target_id text, p_outcome text, p_ip text, p_user_agent text,
                             p_details jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  entry audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('vip.audit_log'));
  SELECT hash INTO entry.prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  entry.prev_hash   := coalesce(entry.prev_hash, repeat('0', 64));
  entry.id          := p_id;
  entry.tenant_id   := p_tenant_id;
  entry.actor_id    := p_actor_id;
  entry.actor_email := p_actor_email;
  entry.action      := p_action;
  entry.target_type := p_target_type;
  entry.target_id   := p_target_id;
  entry.outcome     := p_outcome;
  entry.ip          := p_ip;
  entry.user_agent  := p_user_agent;
  entry.details     := coalesce(p_details, '{}'::jsonb);
  entry.occurred_at := date_trunc('microseconds', clock_timestamp());
  entry.hash        := audit_hash(entry);
  INSERT INTO audit_log (id, tenant_id, actor_id, actor_email, action, target_type, target_id, outcome, ip,
                         user_agent, details, occurred_at, prev_hash, hash)
  VALUES (entry.id, entry.tenant_id, entry.actor_id, entry.actor_email, entry.action, entry.target_type,
          entry.target_id, entry.outcome, entry.ip, entry.user_agent, entry.details, entry.occurred_at,
          entry.prev_hash, entry.hash);
END
$$;

CREATE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (vip_tenant_visible(tenant_id));
GRANT SELECT ON audit_log TO vip_app;
REVOKE ALL ON FUNCTION audit_append(text, text, text, text, text, text, text, text, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text, text, text, text, text, text, jsonb) TO vip_app;
--rollback DROP TABLE audit_log CASCADE;
--rollback DROP FUNCTION audit_append(text, text, text, text, text, text, text, text, text, text, jsonb);
--rollback DROP FUNCTION audit_refuse_change();
