-- WorkFleet's database roles, idempotent; run by a superuser (or a role with CREATEROLE that owns the database)
-- in the fleet's database. Rerunning it sets the passwords again: that is how they are rotated.
-- Expects the session settings workfleet.app_password and workfleet.read_password (set_config), and optionally
-- workfleet.owner_password (used only when this script creates workfleet_owner).
--   workfleet_owner  owns the database, the schema's tables and sequences; runs `workfleet migrate`
--   workfleet_app    the dispatcher at run time: DML on the tables, nothing else
--   workfleet_read   SELECT only: `workfleet status`, dashboards
DO $roles$
DECLARE
  role record;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'workfleet_owner') THEN
    CREATE ROLE workfleet_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    IF coalesce(current_setting('workfleet.owner_password', true), '') <> '' THEN
      EXECUTE format('ALTER ROLE workfleet_owner PASSWORD %L', current_setting('workfleet.owner_password'));
    END IF;
  END IF;

  FOR role IN SELECT * FROM (VALUES
      ('workfleet_app', current_setting('workfleet.app_password', true)),
      ('workfleet_read', current_setting('workfleet.read_password', true))) AS r(name, password)
  LOOP
    IF coalesce(role.password, '') = '' THEN
      RAISE EXCEPTION 'no password for %: set WORKFLEET_POSTGRES_% (or its _FILE variant)',
        role.name, upper(substr(role.name, 11)) || '_PASSWORD';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role.name) THEN
      EXECUTE format('CREATE ROLE %I', role.name);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
      role.name, role.password);
    -- Built-in roles that reach the server's files and programs (COPY ... TO PROGRAM): never for these.
    EXECUTE format('REVOKE pg_execute_server_program, pg_read_server_files, pg_write_server_files FROM %I', role.name);
  END LOOP;

  -- The owner owns the database, so (PostgreSQL 15+) it owns the public schema through pg_database_owner.
  EXECUTE format('ALTER DATABASE %I OWNER TO workfleet_owner', current_database());
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO workfleet_app, workfleet_read', current_database());
END
$roles$;

-- PostgreSQL 15 already denies this by default; older servers do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO workfleet_app, workfleet_read;
