#!/bin/sh
# Creates (or updates) WorkFleet's database roles: workfleet_owner, workfleet_app, workfleet_read.
# Idempotent; rerun it to rotate the app/read passwords. Two ways to run it:
#  - as a docker-entrypoint-initdb.d script of the official postgres image (first boot only): mount this
#    directory's file there and infra/postgres/*.sql at /workfleet-postgres (WORKFLEET_SQL_DIR);
#  - against a running server: PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE as for psql.
# Passwords: WORKFLEET_POSTGRES_APP_PASSWORD, WORKFLEET_POSTGRES_READ_PASSWORD, or *_FILE naming a file that
# holds one (Docker secrets). Optional WORKFLEET_POSTGRES_OWNER_PASSWORD is used only if workfleet_owner is
# created here (when the superuser is not already workfleet_owner).
set -eu

sql_dir=${WORKFLEET_SQL_DIR:-/workfleet-postgres}

# secret NAME: the value of $NAME, or the contents of the file named by $NAME_FILE.
secret() {
  eval "value=\${$1:-}" "file=\${$1_FILE:-}"
  if [ -n "$value" ] && [ -n "$file" ]; then echo "set $1 or $1_FILE, not both" >&2; exit 1; fi
  if [ -n "$file" ]; then value=$(cat "$file"); fi
  printf '%s' "$value"
}

app=$(secret WORKFLEET_POSTGRES_APP_PASSWORD)
read_only=$(secret WORKFLEET_POSTGRES_READ_PASSWORD)
owner=$(secret WORKFLEET_POSTGRES_OWNER_PASSWORD)
[ -n "$app" ] || { echo "WORKFLEET_POSTGRES_APP_PASSWORD (or _FILE) must be set" >&2; exit 1; }
[ -n "$read_only" ] || { echo "WORKFLEET_POSTGRES_READ_PASSWORD (or _FILE) must be set" >&2; exit 1; }

# Inside the official image's first boot, POSTGRES_USER/POSTGRES_DB name the superuser and database and the
# temporary server listens on the socket only; elsewhere the PG* variables apply.
if [ -n "${POSTGRES_USER:-}" ] && [ -z "${PGUSER:-}" ]; then export PGUSER="$POSTGRES_USER"; fi
if [ -n "${POSTGRES_DB:-}" ] && [ -z "${PGDATABASE:-}" ]; then export PGDATABASE="$POSTGRES_DB"; fi

# Passwords travel on stdin as psql variables (\set, then :'name' quotes them), never on a command line.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"; }
{
  printf '\\set app %s\n\\set read %s\n\\set owner %s\n' "$(quote "$app")" "$(quote "$read_only")" "$(quote "$owner")"
  printf '%s\n' "SELECT set_config('workfleet.app_password', :'app', false), set_config('workfleet.read_password', :'read', false), set_config('workfleet.owner_password', :'owner', false) \\g /dev/null"
  cat "$sql_dir/workfleet-roles.sql" "$sql_dir/workfleet-grants.sql"
} | psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet
echo "workfleet roles ready in database ${PGDATABASE:-?}"
