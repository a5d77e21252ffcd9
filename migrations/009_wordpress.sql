--liquibase formatted sql

--changeset vip:009-wordpress splitStatements:false
--comment: WordPress installed by the panel: core comes from the configured archive (deploy source 'wordpress'), its database is one of the site's databases, and the first admin's password is kept sealed only until the install used it, so it is shown once and then forgotten.
ALTER TABLE sites DROP CONSTRAINT sites_deploy_source_check;
ALTER TABLE sites ADD CONSTRAINT sites_deploy_source_check CHECK (deploy_source IN ('git', 'archive', 'wordpress', 'none'));
CREATE TABLE site_wordpress (
    site_id        text NOT NULL PRIMARY KEY,
    tenant_id      text NOT NULL,
    database_id    text REFERENCES site_databases (id) ON DELETE SET NULL,
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    admin_user     text NOT NULL CHECK (admin_user ~ '^[A-Za-z0-9_.@-]{1,60}$'),
    admin_email    text NOT NULL CHECK (length(admin_email) BETWEEN 3 AND 254),
    admin_password text,
    installed_at   timestamptz,
    version        text,
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE site_wordpress ENABLE ROW LEVEL SECURITY;
CREATE POLICY site_wordpress_scope ON site_wordpress
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_wordpress.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = site_wordpress.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON site_wordpress TO vip_app;
--rollback DROP TABLE site_wordpress;
--rollback ALTER TABLE sites DROP CONSTRAINT sites_deploy_source_check;
--rollback ALTER TABLE sites ADD CONSTRAINT sites_deploy_source_check CHECK (deploy_source IN ('git', 'archive', 'none'));
