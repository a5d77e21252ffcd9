--liquibase formatted sql

--changeset vip:012-certificates splitStatements:false
--comment: One certificate per site: what was asked for (names, challenge, HSTS), the certificate deployed now (its key encrypted, bound to the row), when to renew it, and what the site's port 443 actually served when last checked from outside.
CREATE TABLE certificates (
    id                    text NOT NULL PRIMARY KEY,
    tenant_id             text NOT NULL REFERENCES tenants (id),
    site_id               text NOT NULL UNIQUE,
    source                text NOT NULL CHECK (source IN ('acme', 'custom')),
    challenge             text NOT NULL CHECK (challenge IN ('automatic', 'http-01', 'dns-01')),
    names                 jsonb NOT NULL,
    hsts                  boolean NOT NULL DEFAULT false,
    status                text NOT NULL CHECK (status IN ('pending', 'issuing', 'deploying', 'valid', 'failed')),
    status_note           text,
    -- The certificate deployed (or being deployed): leaf + chain as PEM and its private key encrypted.
    chain_pem             text,
    private_key           text,
    serial                text,
    fingerprint           text,
    issuer                text,
    cert_names            jsonb NOT NULL DEFAULT '[]'::jsonb,
    not_before            timestamptz,
    not_after             timestamptz,
    ocsp_stapling         boolean NOT NULL DEFAULT false,
    deployed_at           timestamptz,
    -- Renewal: from renew_after on (the CA's ARI window or 30 days before expiry), retried with backoff.
    renew_after           timestamptz,
    ari_checked_at        timestamptz,
    renewal_failures      int NOT NULL DEFAULT 0,
    next_attempt_at       timestamptz,
    -- What a visitor is served on port 443 with SNI, checked from outside.
    served_checked_at     timestamptz,
    served_address        text,
    served_serial         text,
    served_fingerprint    text,
    served_issuer         text,
    served_names          jsonb,
    served_not_after      timestamptz,
    served_trusted        boolean,
    served_problem        text,
    -- A problem the tenant's admins were told about (failed renewal, served mismatch, expiry close), until resolved.
    alert                 text,
    alert_since           timestamptz,
    step_timings          jsonb NOT NULL DEFAULT '{}'::jsonb,
    last_job_id           text,
    created_by            text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    -- The certificate belongs to the site's tenant, and goes with the site.
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX certificates_tenant_idx ON certificates (tenant_id, created_at);
CREATE INDEX certificates_renewal_idx ON certificates (renew_after) WHERE source = 'acme';
ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
CREATE POLICY certificates_scope ON certificates
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = certificates.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = certificates.tenant_id AND vip_scope_sees(t.path)));
GRANT SELECT, INSERT, UPDATE, DELETE ON certificates TO vip_app;
--rollback DROP TABLE certificates;
