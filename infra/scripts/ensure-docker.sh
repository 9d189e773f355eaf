#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`, installing and starting it if needed.
# Idempotent: does nothing when the engine already runs. Needs root on a fresh machine
# (CI runs as root). Installs docker.io, docker-compose and debootstrap from Debian when missing.
set -euo pipefail

log() { echo "[ensure-docker] $*"; }

if docker info >/dev/null 2>&1; then
  log "docker engine already running"
  exit 0
fi

# Install what is missing (command names differ from package names).
missing=()
{ command -v dockerd && command -v docker; } >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# No systemd here: run dockerd ourselves, detached (setsid) so it outlives this shell and CI step.
# If a dockerd is already starting (e.g. a concurrent call), just wait for it.
# Published ports go through iptables instead of a docker-proxy process per port: on this 2-core machine
# the proxies cost a third of a core at 150 tasks/s through RabbitMQ and PostgreSQL.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/workfleet-dockerd.log)"
  nohup setsid dockerd --userland-proxy=false >>/var/log/workfleet-dockerd.log 2>&1 </dev/null &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "docker engine ready"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; last log lines:" >&2
tail -n 30 /var/log/workfleet-dockerd.log >&2 || true
exit 1
