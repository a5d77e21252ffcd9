-- Seeds the benchmark tenant tree directly in SQL (run as the schema owner, so row-level security does not
-- apply): 100 resellers under the platform, 9 clients under each (1,000 tenants besides the platform), and
-- 10 active users in each of those tenants (10,000 users). Every user gets the password hash of the admin
-- given as :'admin_email', so any of them could sign in with the admin's password.
-- Ids follow io.vippanel.platform.Ids: a prefix, '_' and 20 characters of [a-km-np-z2-9].
\set ON_ERROR_STOP on
BEGIN;

CREATE FUNCTION pg_temp.bench_id(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT prefix || '_' || string_agg(substr('abcdefghijkmnpqrstuvwxyz23456789', 1 + floor(random() * 32)::int, 1), '')
    FROM generate_series(1, 20)
$$;

CREATE TEMP TABLE bench_resellers ON COMMIT DROP AS
  SELECT n, pg_temp.bench_id('ten') AS id FROM generate_series(1, 100) AS n;

INSERT INTO tenants (id, parent_id, kind, name, path)
SELECT r.id, p.id, 'reseller', format('Reseller %s', lpad(r.n::text, 3, '0')), p.path || r.id || '/'
  FROM bench_resellers r CROSS JOIN tenants p
 WHERE p.kind = 'platform';

INSERT INTO tenants (id, parent_id, kind, name, path)
SELECT c.id, r.id, 'client', format('Client %s-%s', lpad(r.n::text, 3, '0'), c.n), rt.path || c.id || '/'
  FROM bench_resellers r
  JOIN tenants rt ON rt.id = r.id
 CROSS JOIN LATERAL (SELECT n, pg_temp.bench_id('ten') AS id FROM generate_series(1, 9) AS n WHERE r.n > 0) c;

INSERT INTO users (id, tenant_id, email, display_name, role, status, password_hash)
SELECT pg_temp.bench_id('usr'), t.id, format('user%s.%s@bench.example', n, t.id), format('User %s of %s', n, t.name),
       t.kind, 'active', (SELECT password_hash FROM users WHERE email = :'admin_email')
  FROM tenants t CROSS JOIN generate_series(1, 10) AS n
 WHERE t.kind IN ('reseller', 'client');

COMMIT;
-- As autovacuum would have done on a live system: statistics, and the visibility map for index-only scans.
VACUUM (ANALYZE) tenants;
VACUUM (ANALYZE) users;

SELECT (SELECT count(*) FROM tenants WHERE kind <> 'platform') AS seeded_tenants,
       (SELECT count(*) FROM users WHERE email LIKE 'user%@bench.example') AS seeded_users;
