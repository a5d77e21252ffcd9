--liquibase formatted sql

--changeset vip:011-acme-accounts splitStatements:false
--comment: The platform's ACME accounts, one per CA directory; not tenant-owned (every tenant's certificates are ordered through them), so only platform staff reach them, through the SSL_PLATFORM permission.
CREATE TABLE acme_accounts (
    id                 text NOT NULL PRIMARY KEY,
    directory_url      text NOT NULL UNIQUE,
    account_key        text NOT NULL,
    account_url        text NOT NULL,
    contact_email      text,
    terms_url          text,
    terms_accepted_by  text,
    terms_accepted_at  timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON acme_accounts TO vip_app;
--rollback DROP TABLE acme_accounts;
