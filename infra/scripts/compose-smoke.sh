#!/usr/bin/env bash
# Smoke test of docker-compose.yml with locally built images: the issue's
#   docker-compose up -d --scale worker=3
# gives three workers that register themselves with unique ids and serve tasks.
#   infra/scripts/compose-smoke.sh                 # run (about 2-3 minutes, most of it building)
#   infra/scripts/compose-smoke.sh --down PROJECT  # remove a smoke stack (e.g. after a killed run)
# Steps: provision the engine and images (ensure-docker.sh, build-local-images.sh,
# build-app-images.sh), publish the CLI, pick free host ports, bring the stack up under a unique
# project name (wfsmoke-<pid>-<random>) with --scale worker=3, wait until the `workers` table holds
# three live workers whose ids derive from their containers' host names, check `workfleet status`,
# run 20 tasks through `workfleet submit --wait` (all three workers must serve), check the dispatcher's
# published dashboard port (/healthz, /api/status with three live workers, /metrics counting the 20), scale down to one
# worker and run 10 more, and always `down -v` at the end. The last line is
# "[compose-smoke] PASS: ..." or "[compose-smoke] FAIL: ..."; the exit code is non-zero on failure.
# Stacks of earlier runs whose process is gone (killed before its cleanup) are removed first.
# Env: RABBITMQ_IMAGE / POSTGRES_IMAGE (default the local images; e.g. the official ones),
#   RUNTIME_IMAGE (base of the app images, see build-app-images.sh),
#   WORKFLEET_SMOKE_PROJECT (compose project name; default wfsmoke-<pid>-<random>).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)

log() { printf '[compose-smoke %4ss] %s\n' "$SECONDS" "$*"; }

compose_command() {
  if command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  elif docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  else
    echo "[compose-smoke] neither docker-compose nor the docker compose plugin is installed" >&2
    return 1
  fi
}

# compose_down PROJECT: removes the project's containers, networks and volumes.
compose_down() {
  timeout 180 "${COMPOSE[@]}" -p "$1" -f "$ROOT/docker-compose.yml" down -v --remove-orphans -t 15 2>&1 |
    sed 's/^/    /' || true
}

if [[ ${1:-} == --down ]]; then
  [[ -n ${2:-} ]] || { echo "usage: $0 --down PROJECT" >&2; exit 2; }
  compose_command
  compose_down "$2"
  exit 0
fi

PROJECT=${WORKFLEET_SMOKE_PROJECT:-wfsmoke-$$-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export RABBITMQ_IMAGE=${RABBITMQ_IMAGE:-workfleet/rabbitmq:local}
export POSTGRES_IMAGE=${POSTGRES_IMAGE:-workfleet/postgres:local}
WORK=$(mktemp -d /tmp/wfsmoke.XXXXXX)
STACK_UP=0
PASSED=0
FAILURE="interrupted"

fail() {
  FAILURE=$*
  exit 1
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if ((STACK_UP)); then
    if ((!PASSED)); then
      log "diagnostics: containers of $PROJECT"
      compose ps 2>&1 | sed 's/^/    /'
      for service in dispatcher worker rabbitmq postgres; do
        log "diagnostics: last log lines of $service"
        compose logs --no-color --tail 40 "$service" 2>&1 | sed 's/^/    /'
      done
    fi
    log "removing the stack (down -v)"
    compose_down "$PROJECT"
  fi
  rm -rf "$WORK"
  if ((PASSED)) && ((rc == 0)); then
    echo "[compose-smoke] PASS: ${SUMMARY} (total ${SECONDS} s)"
  else
    echo "[compose-smoke] FAIL: ${FAILURE} (exit ${rc}, after ${SECONDS} s)"
    ((rc != 0)) || rc=1
  fi
  exit "$rc"
}
trap finish EXIT
trap 'FAILURE="command failed (line $LINENO): $BASH_COMMAND"' ERR
trap 'FAILURE="interrupted (SIGINT)"; exit 130' INT
trap 'FAILURE="interrupted (SIGTERM)"; exit 143' TERM

compose() { "${COMPOSE[@]}" -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }

# step NAME LOGFILE COMMAND...: runs COMMAND with its output in LOGFILE (so build servers it
# leaves behind do not hold this script's stdout open), then shows the log's tagged lines.
step() {
  local name=$1 logfile=$2 start=$SECONDS
  shift 2
  if "$@" >"$logfile" 2>&1; then
    grep -E '^\[[a-z-]+\]' "$logfile" | sed 's/^/    /' || true
    log "$name done in $((SECONDS - start)) s"
  else
    log "$name failed; last lines of its output:"
    tail -n 40 "$logfile" | sed 's/^/    /'
    fail "$name failed"
  fi
}

# free_ports N: prints N distinct free TCP ports of 127.0.0.1.
free_ports() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
  else
    local ports=() port
    while ((${#ports[@]} < $1)); do
      port=$((20000 + RANDOM % 40000))
      [[ " ${ports[*]} " == *" $port "* ]] && continue
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
      ports+=("$port")
    done
    echo "${ports[*]}"
  fi
}

# sql QUERY: runs QUERY in the stack's database, unaligned tuples only; empty on any error.
sql() { compose exec -T postgres psql -U workfleet -d workfleet -tA -F ' ' -c "$1" 2>/dev/null || true; }

# live_workers: ids of workers whose last heartbeat is at most 5 s old, one a line.
live_workers() { sql "SELECT id FROM workers WHERE last_heartbeat_at > now() - interval '5 seconds' ORDER BY id"; }

# cli ARGS...: the workfleet CLI against the stack's published ports (run from an empty directory
# so no appsettings.json is picked up).
cli() {
  (
    cd "$WORK"
    export WorkFleet__Transport__Kind=RabbitMq
    export WorkFleet__Transport__RabbitMq__Host=127.0.0.1
    export WorkFleet__Transport__RabbitMq__Port=$AMQP_PORT
    export WorkFleet__Transport__RabbitMq__Username=workfleet
    export WorkFleet__Transport__RabbitMq__Password=workfleet
    export WorkFleet__Database__Provider=Postgres
    export WorkFleet__Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=workfleet;Password=workfleet;Database=workfleet"
    timeout 300 dotnet "$WORK/cli/workfleet.dll" "$@"
  )
}

# submit COUNT LABEL: submits COUNT compute.matmul tasks and waits for them; leaves the JSON line in
# $WORK/LABEL.json and the per-worker counts in $WORK/LABEL.workers ("count id" lines).
submit() {
  local count=$1 label=$2 start=$SECONDS rc=0
  log "submitting $count compute.matmul tasks (--wait)"
  cli submit --job compute.matmul --payload '{"size":32,"seed":1}' --count "$count" --wait \
    --wait-timeout 00:02:00 --json >"$WORK/$label.out" 2>&1 || rc=$?
  tail -n 1 "$WORK/$label.out" >"$WORK/$label.json"
  local succeeded
  succeeded=$(grep -o '"outcome":"Succeeded"' "$WORK/$label.json" | wc -l || true)
  grep -o '"workerId":"[^"]*"' "$WORK/$label.json" | cut -d'"' -f4 | sort | uniq -c |
    awk '{print $1, $2}' >"$WORK/$label.workers" || true
  log "$succeeded/$count succeeded in $((SECONDS - start)) s (cli exit $rc); tasks per worker:"
  sed 's/^/    /' "$WORK/$label.workers"
  if ((rc != 0 || succeeded != count)); then
    log "cli output (last lines):"
    tail -n 20 "$WORK/$label.out" | cut -c1-2000 | sed 's/^/    /'
    fail "$label: $succeeded/$count tasks succeeded (cli exit $rc)"
  fi
}

log "project $PROJECT; RABBITMQ_IMAGE=$RABBITMQ_IMAGE POSTGRES_IMAGE=$POSTGRES_IMAGE"

# --- provisioning ---------------------------------------------------------------------------
step "ensure-docker" "$WORK/ensure-docker.log" infra/scripts/ensure-docker.sh
compose_command || fail "no docker compose"

# Stacks of earlier runs that were killed before their cleanup: their pid is in the project name.
for stale in $(docker ps -a --filter label=com.docker.compose.project \
  --format '{{.Label "com.docker.compose.project"}}' | sort -u | grep -E '^wfsmoke-[0-9]+-' || true); do
  pid=${stale#wfsmoke-}
  pid=${pid%%-*}
  if ! kill -0 "$pid" 2>/dev/null; then
    log "removing stack $stale left by an earlier run (pid $pid is gone)"
    compose_down "$stale"
  fi
done

step "build-local-images" "$WORK/local-images.log" infra/scripts/build-local-images.sh
step "build-app-images (publish + docker build)" "$WORK/app-images.log" infra/scripts/build-app-images.sh
step "publish the CLI" "$WORK/cli.log" \
  dotnet publish src/WorkFleet.Cli -c Release -o "$WORK/cli" -nologo -v quiet

# --- stack up with three workers ------------------------------------------------------------
for attempt in 1 2 3; do
  read -r AMQP_PORT MGMT_PORT PG_PORT DASHBOARD_PORT <<<"$(free_ports 4)"
  export WORKFLEET_RABBITMQ_PORT=$AMQP_PORT WORKFLEET_RABBITMQ_MGMT_PORT=$MGMT_PORT WORKFLEET_POSTGRES_PORT=$PG_PORT WORKFLEET_DASHBOARD_PORT=$DASHBOARD_PORT
  log "compose up -d --no-build --scale worker=3 (ports: amqp $AMQP_PORT, management $MGMT_PORT, postgres $PG_PORT, dashboard $DASHBOARD_PORT)"
  up_start=$SECONDS
  STACK_UP=1
  if compose up -d --no-build --scale worker=3 >"$WORK/up.log" 2>&1; then
    break
  fi
  sed 's/^/    /' "$WORK/up.log"
  if ((attempt < 3)) && grep -qiE 'already allocated|address already in use' "$WORK/up.log"; then
    log "a port was taken meanwhile; removing the stack and picking new ports"
    compose_down "$PROJECT"
    continue
  fi
  fail "compose up failed"
done
UP_SECONDS=$((SECONDS - up_start))
log "stack up in $UP_SECONDS s (rabbitmq and postgres healthy, dispatcher and workers started)"

mapfile -t containers < <(compose ps -q worker)
((${#containers[@]} == 3)) || fail "expected 3 worker containers, found ${#containers[@]}"

log "waiting (up to 120 s) for 3 live workers in the workers table"
deadline=$((SECONDS + 120))
while :; do
  mapfile -t workers < <(live_workers)
  ((${#workers[@]} >= 3)) && break
  ((SECONDS < deadline)) || fail "only ${#workers[@]} live workers 120 s after the stack came up: ${workers[*]:-none}"
  sleep 1
done
REGISTER_SECONDS=$((SECONDS - up_start))
log "3 live workers $REGISTER_SECONDS s after compose up started ($((SECONDS - up_start - UP_SECONDS)) s after it returned):"
sql "SELECT id, state, last_heartbeat_at FROM workers ORDER BY id" | sed 's/^/    /'

# Each worker container registered exactly one live id, derived from its host name (the short
# container id) plus a random suffix; the ids are distinct (they are the table's primary key).
((${#workers[@]} == 3)) || fail "expected 3 live workers, found ${#workers[@]}: ${workers[*]}"
for container in "${containers[@]}"; do
  hostname=${container:0:12}
  matches=$(printf '%s\n' "${workers[@]}" | grep -c "^${hostname}-" || true)
  ((matches == 1)) || fail "container $hostname has $matches live worker ids (expected 1): ${workers[*]}"
done
distinct=$(printf '%s\n' "${workers[@]}" | sort -u | wc -l)
((distinct == 3)) || fail "worker ids are not distinct: ${workers[*]}"
log "each worker container registered one unique id (host name + suffix)"

log "workfleet status --json (published postgres port)"
cli status --json >"$WORK/status.out" 2>&1 || { tail -n 20 "$WORK/status.out" | sed 's/^/    /'; fail "workfleet status failed"; }
status=$(tail -n 1 "$WORK/status.out")
alive=$(grep -o '"alive":true' <<<"$status" | wc -l || true)
grep -o '"id":"[^"]*","state":"[^"]*","alive":[a-z]*' <<<"$status" | sed 's/^/    /' || true
((alive == 3)) || fail "workfleet status shows $alive alive workers (expected 3)"

submit 20 three-workers
served=$(wc -l <"$WORK/three-workers.workers")
((served == 3)) || fail "20 tasks were served by $served workers (expected all 3)"

# --- the dispatcher's HTTP side, through the published port ---------------------------------
dashboard="http://127.0.0.1:$DASHBOARD_PORT"
log "dashboard at $dashboard: /healthz, /api/status, /metrics"
curl -fsS --max-time 10 "$dashboard/healthz" >"$WORK/healthz.json" || fail "GET /healthz failed"
curl -fsS --max-time 10 "$dashboard/api/status" >"$WORK/api-status.json" || fail "GET /api/status failed"
curl -fsS --max-time 10 "$dashboard/metrics" >"$WORK/metrics.txt" || fail "GET /metrics failed"
curl -fsS --max-time 10 "$dashboard/" >"$WORK/dashboard.html" || fail "GET / failed"
grep -q "<title>WorkFleet dispatcher</title>" "$WORK/dashboard.html" || fail "GET / did not return the dashboard page"
live_in_view=$(grep -o '"health":"live"' "$WORK/api-status.json" | wc -l || true)
((live_in_view == 3)) || fail "/api/status shows $live_in_view live workers (expected 3): $(head -c 600 "$WORK/api-status.json")"
grep -q '^workfleet_tasks_finished_total{outcome="succeeded",error_kind=""} 20$' "$WORK/metrics.txt" ||
  fail "/metrics does not count 20 successes: $(grep '^workfleet_tasks_finished_total' "$WORK/metrics.txt" | tr '\n' ' ')"
log "dashboard: healthz $(cat "$WORK/healthz.json"), 3 live workers in /api/status, 20 successes in /metrics"

# --- scale down to one worker ---------------------------------------------------------------
log "compose up -d --no-build --scale worker=1"
scale_start=$SECONDS
compose up -d --no-build --scale worker=1 >"$WORK/scale.log" 2>&1 || { sed 's/^/    /' "$WORK/scale.log"; fail "scaling down failed"; }
mapfile -t containers < <(compose ps -q worker)
((${#containers[@]} == 1)) || fail "expected 1 worker container after scaling down, found ${#containers[@]}"
remaining=${containers[0]:0:12}
log "scaled down in $((SECONDS - scale_start)) s; remaining worker container $remaining"

log "waiting (up to 30 s) until only that worker is live in the workers table"
deadline=$((SECONDS + 30))
while :; do
  mapfile -t workers < <(live_workers)
  ((${#workers[@]} == 1)) && [[ ${workers[0]} == "$remaining"-* ]] && break
  ((SECONDS < deadline)) || fail "live workers 30 s after scaling down: ${workers[*]:-none} (expected only $remaining-*)"
  sleep 1
done
sql "SELECT id, state, last_heartbeat_at FROM workers ORDER BY id" | sed 's/^/    /'

submit 10 one-worker
if grep -qv " ${remaining}-" "$WORK/one-worker.workers"; then
  fail "after scaling down, tasks ran on workers other than $remaining-*"
fi

PASSED=1
SUMMARY="3 workers registered with unique ids ${REGISTER_SECONDS} s after compose up started (stack up in ${UP_SECONDS} s); 20/20 tasks served by all 3, counted by the dashboard; 10/10 after scaling to 1 worker"
