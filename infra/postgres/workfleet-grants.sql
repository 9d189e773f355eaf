-- What the runtime roles may do with the fleet's tables, idempotent; run by workfleet_owner (the migrate step
-- runs it after the migrations) or a superuser. Needs the roles of workfleet-roles.sql.
GRANT USAGE ON SCHEMA public TO workfleet_app, workfleet_read;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO workfleet_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO workfleet_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO workfleet_read;

-- Tables and sequences that later migrations create (as workfleet_owner) get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE workfleet_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO workfleet_app;
ALTER DEFAULT PRIVILEGES FOR ROLE workfleet_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO workfleet_app;
ALTER DEFAULT PRIVILEGES FOR ROLE workfleet_owner IN SCHEMA public
  GRANT SELECT ON TABLES TO workfleet_read;

-- The dispatcher reads the migration history (is the schema current?) but never writes it.
DO $history$
BEGIN
  IF to_regclass('public."__EFMigrationsHistory"') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public."__EFMigrationsHistory" FROM workfleet_app;
  END IF;
END
$history$;
