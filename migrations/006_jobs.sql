--liquibase formatted sql

--changeset vip:006-scheduled-tasks
--comment: db-scheduler's queue (its PostgreSQL schema). Holds no tenant data: only the job id to run.
CREATE TABLE scheduled_tasks (
    task_name            text NOT NULL,
    task_instance        text NOT NULL,
    task_data            bytea,
    execution_time       timestamptz NOT NULL,
    picked               boolean NOT NULL,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures int,
    last_heartbeat       timestamptz,
    version              bigint NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_idx ON scheduled_tasks (priority DESC, execution_time ASC);
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO vip_app;
--rollback DROP TABLE scheduled_tasks;

--changeset vip:006-jobs splitStatements:false
CREATE TABLE jobs (
    id               text NOT NULL PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    type             text NOT NULL,
    title            text NOT NULL,
    target_type      text,
    target_id        text,
    status           text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts         int NOT NULL DEFAULT 0,
    max_attempts     int NOT NULL CHECK (max_attempts >= 1),
    params           jsonb NOT NULL DEFAULT '{}'::jsonb,
    result           jsonb NOT NULL DEFAULT '{}'::jsonb,
    summary          text,
    cancel_requested boolean NOT NULL DEFAULT false,
    rerun_of         text,
    created_by       text,
    created_by_email text,
    worker           text,
    queued_at        timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    next_attempt_at  timestamptz,
    UNIQUE (tenant_id, id)
);
CREATE INDEX jobs_tenant_queued_idx ON jobs (tenant_id, queued_at DESC);
CREATE INDEX jobs_active_idx ON jobs (status) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_target_idx ON jobs (target_id) WHERE target_id IS NOT NULL;
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE job_log (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id text NOT NULL,
    job_id    text NOT NULL,
    at        timestamptz NOT NULL,
    level     text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    line      text NOT NULL,
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX job_log_job_idx ON job_log (job_id, seq);

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jobs_scope ON jobs
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = jobs.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = jobs.tenant_id AND vip_scope_sees(t.path)));
ALTER TABLE job_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_log_scope ON job_log
    USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = job_log.tenant_id AND vip_scope_sees(t.path)))
    WITH CHECK (EXISTS (SELECT 1 FROM tenants t WHERE t.id = job_log.tenant_id AND vip_scope_sees(t.path)));
-- Finished jobs past their retention are removed (with their log) by the system-scope pruning schedule.
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO vip_app;
GRANT SELECT, INSERT, DELETE ON job_log TO vip_app;
--rollback DROP TABLE job_log;
--rollback DROP TABLE jobs;
