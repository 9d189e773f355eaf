#!/usr/bin/env bash
# Builds the local stand-ins for images no registry serves here, from Debian bookworm packages:
#   workfleet/rabbitmq:local  rabbitmq-server 3.10 + management plugin   (ports 5672, 15672)
#   workfleet/postgres:local  postgresql-15, official-image-like env      (port 5432)
#   workfleet/runtime:local   base for self-contained .NET apps (app.Dockerfile RUNTIME_IMAGE)
# Idempotent: an image that `docker image inspect` finds is skipped. Missing ones are built in
# parallel (debootstrap ~1 min each) under /var/tmp/workfleet-images; rootfs dirs are removed
# after import. Needs root, debootstrap and a running engine (see ensure-docker.sh).
# Env: DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
shopt -s inherit_errexit # make $(bootstrap ...) fail when debootstrap fails

WORK=/var/tmp/workfleet-images
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RABBITMQ_IMAGE=workfleet/rabbitmq:local
POSTGRES_IMAGE=workfleet/postgres:local
RUNTIME_IMAGE=workfleet/runtime:local

log() { echo "[images] $*"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Removes a rootfs dir safely: an interrupted debootstrap can leave proc/sys mounted inside it.
remove_rootfs() {
  awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$1"
}

# bootstrap NAME PACKAGES: prints the path of a fresh minbase rootfs with PACKAGES installed.
bootstrap() {
  local rootfs="$WORK/$1/rootfs"
  remove_rootfs "$rootfs"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase --include="$2" bookworm "$rootfs" "$MIRROR" >&2
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  echo "$rootfs"
}

# import ROOTFS IMAGE [--change ...]: turns the rootfs into an image, then deletes the rootfs.
import() {
  local rootfs=$1 image=$2
  shift 2
  tar --numeric-owner -C "$rootfs" -c . | docker import "$@" - "$image" >/dev/null
  remove_rootfs "$rootfs"
}

build_rabbitmq() {
  local rootfs
  rootfs=$(bootstrap rabbitmq rabbitmq-server)
  chroot "$rootfs" rabbitmq-plugins enable --offline rabbitmq_management
  # rabbitmq-plugins created an Erlang cookie; let each container generate its own instead.
  rm -f "$rootfs/var/lib/rabbitmq/.erlang.cookie"
  # Debian's /usr/sbin/rabbitmq-server wrapper sends logs to files and does not exec; run the real
  # script as the rabbitmq user instead, logging to stdout. The broker itself creates
  # RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS (administrator, full rights on "/") on first boot.
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
cd /var/lib/rabbitmq
export HOME=/var/lib/rabbitmq RABBITMQ_LOGS=-
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
EOF
  chmod +x "$rootfs/usr/local/bin/docker-entrypoint.sh"
  import "$rootfs" "$RABBITMQ_IMAGE" \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    -c 'ENV LANG=C.UTF-8' -c 'EXPOSE 5672 15672'
}

build_postgres() {
  local rootfs
  rootfs=$(bootstrap postgres postgresql-15)
  # The package created a default cluster; the entrypoint initialises $PGDATA itself.
  rm -rf "$rootfs/var/lib/postgresql/15/main" "$rootfs/etc/postgresql/15/main"
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Mimics the official image: POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required),
# POSTGRES_DB (default $POSTGRES_USER); password (scram) auth for TCP, trust on the local socket.
set -eu
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then echo "POSTGRES_PASSWORD must be set" >&2; exit 1; fi
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\nmax_connections = 300\n" >>"$PGDATA/postgresql.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    db=$(printf '%s' "$POSTGRES_DB" | sed 's/"/""/g')
    echo "CREATE DATABASE \"$db\";" | as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "database initialised in $PGDATA"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" "$@"
EOF
  chmod +x "$rootfs/usr/local/bin/docker-entrypoint.sh"
  import "$rootfs" "$POSTGRES_IMAGE-base" \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' -c 'ENV LANG=C.UTF-8' \
    -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV PGDATA=/var/lib/postgresql/data' -c 'EXPOSE 5432'
  # `docker import` cannot set STOPSIGNAL. Like the official image, stop with SIGINT (fast
  # shutdown): SIGTERM is a "smart" shutdown that waits for pooled clients to disconnect.
  printf 'FROM %s\nSTOPSIGNAL SIGINT\n' "$POSTGRES_IMAGE-base" | docker build -q -t "$POSTGRES_IMAGE" -
  docker rmi "$POSTGRES_IMAGE-base" >/dev/null
}

build_runtime() {
  local rootfs
  rootfs=$(bootstrap runtime ca-certificates,libicu72,libssl3,zlib1g,tzdata)
  import "$rootfs" "$RUNTIME_IMAGE" -c 'ENV LANG=C.UTF-8' -c 'ENV DOTNET_RUNNING_IN_CONTAINER=true'
}

mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock 9 # concurrent callers wait here, then find the images built

declare -A jobs=()
for pair in rabbitmq:$RABBITMQ_IMAGE postgres:$POSTGRES_IMAGE runtime:$RUNTIME_IMAGE; do
  name=${pair%%:*} image=${pair#*:}
  if have_image "$image"; then
    log "$image present, skipping"
    continue
  fi
  log "building $image (log: $WORK/$name.log)"
  ("build_$name" >"$WORK/$name.log" 2>&1) &
  jobs[$name]=$!
done

failed=0
for name in "${!jobs[@]}"; do
  if wait "${jobs[$name]}"; then
    log "built $name image (${SECONDS}s since start)"
  else
    log "FAILED to build $name image; last lines of $WORK/$name.log:" >&2
    tail -n 20 "$WORK/$name.log" >&2
    failed=1
  fi
done
exit $failed
