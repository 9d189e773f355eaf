-- A database as the previous WorkFleet version left it: the SQL that `dotnet ef migrations script` produced
-- (EF Core 10.0.14, the version it ran) from its three hand-written migrations (commit c3aaa28). Used as is by
-- MigrationUpgradeTests to start from that state; never regenerate it from the current migrations.

CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;
CREATE TABLE workers (
    id text NOT NULL,
    queue_name text NOT NULL,
    weight double precision NOT NULL,
    capacity integer NOT NULL,
    in_flight integer NOT NULL,
    queued integer NOT NULL,
    completed_total bigint NOT NULL,
    failed_total bigint NOT NULL,
    cpu_utilization double precision NOT NULL,
    memory_utilization double precision NOT NULL,
    ewma_task_duration_ms double precision NOT NULL,
    job_types text[] NOT NULL,
    capabilities text[] NOT NULL,
    state text NOT NULL,
    sequence bigint NOT NULL,
    started_at timestamp with time zone NOT NULL,
    last_heartbeat_at timestamp with time zone NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_workers" PRIMARY KEY (id)
);

CREATE TABLE tasks (
    id uuid NOT NULL,
    job_type text NOT NULL,
    payload text NOT NULL,
    priority integer NOT NULL,
    required_capabilities text[] NOT NULL,
    timeout_ms bigint,
    status text NOT NULL,
    attempt integer NOT NULL,
    worker_id text,
    submitted_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    dispatched_at timestamp with time zone,
    finished_at timestamp with time zone,
    result text,
    error text,
    error_kind text,
    CONSTRAINT "PK_tasks" PRIMARY KEY (id)
);

CREATE TABLE task_attempts (
    task_id uuid NOT NULL,
    attempt integer NOT NULL,
    worker_id text NOT NULL,
    status text NOT NULL,
    dispatched_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    completed_at timestamp with time zone,
    error text,
    error_kind text,
    CONSTRAINT "PK_task_attempts" PRIMARY KEY (task_id, attempt),
    CONSTRAINT fk_task_attempts_tasks_task_id FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);

CREATE INDEX ix_tasks_status ON tasks (status);

CREATE INDEX ix_task_attempts_worker_id ON task_attempts (worker_id);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123000000_InitialSchema', '10.0.14');

COMMIT;

START TRANSACTION;
ALTER TABLE tasks ADD next_attempt_at timestamp with time zone;

CREATE INDEX ix_tasks_status_next_attempt_at ON tasks (status, next_attempt_at);

CREATE INDEX ix_tasks_worker_id ON tasks (worker_id);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123100000_RetrySchedule', '10.0.14');

COMMIT;

START TRANSACTION;
ALTER TABLE task_attempts ADD retry_at timestamp with time zone;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123120000_AttemptRetryAt', '10.0.14');

COMMIT;

