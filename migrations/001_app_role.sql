--liquibase formatted sql

--changeset vip:001-app-role splitStatements:false
--comment: vip_app is the role the panel's connections switch to; it owns nothing, so row-level security always applies.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vip_app') THEN
    CREATE ROLE vip_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT pg_has_role(current_user, 'vip_app', 'MEMBER') THEN
    EXECUTE format('GRANT vip_app TO %I', current_user);
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO vip_app;
--rollback REVOKE USAGE ON SCHEMA public FROM vip_app;
--rollback -- the role itself is cluster-wide and may serve other databases, so it stays.
