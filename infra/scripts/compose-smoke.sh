#!/usr/bin/env bash
# Smoke test of docker-compose.yml with locally built images: the issue's
#   docker-compose up -d --scale worker=3
# gives three workers that register themselves with unique ids and serve tasks.
#   infra/scripts/compose-smoke.sh                 # run (about 2-3 minutes, most of it building)
#   infra/scripts/compose-smoke.sh --recovery      # the broker-restart scenario instead (about 4-6 minutes)
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
# --recovery (issue 10, as an operator would try it): after the same bring-up and registration
# checks, submits 2,000 compute.matmul tasks with the CLI (in the background, without --wait),
# SIGKILLs one worker container once 100 have finished, then `docker restart`s the RabbitMQ
# container; it measures, from the moment RabbitMQ answers an AMQP handshake on its published port
# again, until the count of finished tasks in PostgreSQL grows (and until 50 more have finished),
# waits until all 2,000 are terminal, and asserts: every task Succeeded exactly once (no task with
# two Succeeded attempts, no attempt left open), the dispatcher and the two surviving workers were
# neither restarted nor stopped with exit code 75, /healthz answered throughout, and work resumed
# within 30 s (the goal is 15 s). The killed worker may come back (restart policy) or not.
# Env: RABBITMQ_IMAGE / POSTGRES_IMAGE (default the local images; e.g. the official ones),
#   RUNTIME_IMAGE (base of the app images, see build-app-images.sh),
#   WORKFLEET_SMOKE_PROJECT (compose project name; default wfsmoke-<pid>-<random>),
#   WORKFLEET_SMOKE_REUSE_APP_IMAGES=1 (skip build-app-images.sh when both app images exist),
#   WORKFLEET_RECOVERY_TASKS (default 2000), WORKFLEET_RECOVERY_PAYLOAD (compute.matmul input,
#   default {"size":96,"seed":1,"repeat":4}: heavy enough that the work outlasts the restart).
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
# The file's required variables need values for `down` too (they are not used by it).
compose_down() {
  local var
  for var in WORKFLEET_RABBITMQ_{DISPATCHER,WORKER}_PASSWORD WORKFLEET_POSTGRES_{OWNER,APP,READ}_PASSWORD WORKFLEET_RABBITMQ_DEFINITIONS; do
    [[ -n ${!var:-} ]] || export "$var=unused-by-down"
  done
  timeout 180 "${COMPOSE[@]}" -p "$1" -f "$ROOT/docker-compose.yml" down -v --remove-orphans -t 15 2>&1 |
    sed 's/^/    /' || true
}

RECOVERY=0
if [[ ${1:-} == --recovery ]]; then
  RECOVERY=1
  shift
fi
if [[ ${1:-} == --down ]]; then
  [[ -n ${2:-} ]] || { echo "usage: $0 --down PROJECT" >&2; exit 2; }
  compose_command
  compose_down "$2"
  exit 0
fi
[[ -z ${1:-} ]] || { echo "usage: $0 [--recovery] | --down PROJECT" >&2; exit 2; }

PROJECT=${WORKFLEET_SMOKE_PROJECT:-wfsmoke-$$-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export RABBITMQ_IMAGE=${RABBITMQ_IMAGE:-workfleet/rabbitmq:local}
export POSTGRES_IMAGE=${POSTGRES_IMAGE:-workfleet/postgres:local}
# The stack's database passwords (docker-compose.yml requires them): fresh random ones unless given.
random_secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export WORKFLEET_POSTGRES_OWNER_PASSWORD=${WORKFLEET_POSTGRES_OWNER_PASSWORD:-$(random_secret)}
export WORKFLEET_POSTGRES_APP_PASSWORD=${WORKFLEET_POSTGRES_APP_PASSWORD:-$(random_secret)}
export WORKFLEET_POSTGRES_READ_PASSWORD=${WORKFLEET_POSTGRES_READ_PASSWORD:-$(random_secret)}
# The stack's broker users, one per role (docker-compose.yml requires their passwords; hosts refuse known
# defaults); the broker loads them from the definitions document written below by `workfleet broker-definitions`.
for role in DISPATCHER WORKER PRODUCER OPERATOR; do
  var=WORKFLEET_RABBITMQ_${role}_PASSWORD
  export "$var=${!var:-$(random_secret)}"
done
WORK=$(mktemp -d /tmp/wfsmoke.XXXXXX)
export WORKFLEET_RABBITMQ_DEFINITIONS=$WORK/rabbitmq-definitions.json
STACK_UP=0
PASSED=0
BACKGROUND_PIDS=()
FAILURE="interrupted"

fail() {
  FAILURE=$*
  exit 1
}

# kill_tree PID: stops PID and every process below it (a background CLI runs as bash -> timeout -> dotnet).
kill_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    kill_tree "$child"
  done
  kill "$1" 2>/dev/null || true
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for pid in "${BACKGROUND_PIDS[@]}"; do
    kill_tree "$pid"
  done
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
sql() { compose exec -T postgres psql -U workfleet_owner -d workfleet -tA -F ' ' -c "$1" 2>/dev/null || true; }

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
    # The operator's broker user: submit, wait for outcomes, drain, error queues.
    export WorkFleet__Transport__RabbitMq__Username=workfleet-operator
    export WorkFleet__Transport__RabbitMq__Password="$WORKFLEET_RABBITMQ_OPERATOR_PASSWORD"
    export WorkFleet__Database__Provider=Postgres
    # The read-only role: `workfleet status` needs nothing more.
    export WorkFleet__Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=workfleet_read;Password=$WORKFLEET_POSTGRES_READ_PASSWORD;Database=workfleet"
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

# --- the broker-restart scenario (--recovery) -----------------------------------------------
RECOVERY_TASKS=${WORKFLEET_RECOVERY_TASKS:-2000}
RECOVERY_PAYLOAD=${WORKFLEET_RECOVERY_PAYLOAD:-'{"size":96,"seed":1,"repeat":4}'}
KILL_AFTER=100   # finished tasks before a worker container is SIGKILLed
RESUMED_TASKS=50 # more finished tasks that show new work ran, not only results queued before the restart
RESUME_LIMIT=30  # seconds after the broker accepts connections again; the goal is 15 s

# elapsed START: seconds (one decimal) since START, an $EPOCHREALTIME value.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# psql_fast QUERY: like sql, through `docker exec` (cheap enough to poll several times a second).
psql_fast() { docker exec "$POSTGRES_CONTAINER" psql -U workfleet_owner -d workfleet -tA -F ' ' -c "$1" 2>/dev/null || true; }

# terminal_count: tasks Succeeded or Failed; empty when PostgreSQL did not answer.
terminal_count() { psql_fast "SELECT count(*) FROM tasks WHERE status IN ('Succeeded','Failed')"; }

# amqp_accepts: true when RabbitMQ answers an AMQP 0-9-1 protocol header on its published port with
# a frame (connection.start). A bare TCP connect is not enough: docker's port proxy accepts
# connections while the broker in the container does not listen yet.
amqp_accepts() {
  local reply
  reply=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "AMQP\x00\x00\x09\x01" >&3 && head -c 1 <&3' \
    _ "$AMQP_PORT" 2>/dev/null | od -An -tx1 | tr -d ' \n') || true
  [[ $reply == 01 ]]
}

# monitor_healthz: every second, one "EPOCHREALTIME HTTP-CODE" line (000: no answer in 5 s) in
# $WORK/healthz.log, until $WORK/healthz.stop exists.
monitor_healthz() {
  local code
  while [[ ! -e $WORK/healthz.stop ]]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$DASHBOARD_PORT/healthz" || true)
    echo "$EPOCHREALTIME ${code:-000}" >>"$WORK/healthz.log"
    sleep 1
  done
}

# wait_for_terminal TARGET WHAT: polls terminal_count until it reaches TARGET; fails when it does
# not grow for 90 s. Logs progress every 10 s.
wait_for_terminal() {
  local target=$1 what=$2 count last=-1 last_change=$SECONDS next_log=$((SECONDS + 10))
  while :; do
    count=$(terminal_count)
    count=${count:-$last}
    ((count >= target)) && break
    if ((count != last)); then
      last=$count
      last_change=$SECONDS
    fi
    ((SECONDS - last_change < 90)) || fail "$what: stuck at $count/$target finished tasks for 90 s"
    if ((SECONDS >= next_log)); then
      log "  $count/$target finished"
      next_log=$((SECONDS + 10))
    fi
    sleep 1
  done
}

recovery_scenario() {
  local dispatcher rabbit victim survivors=() worker_containers=() c
  POSTGRES_CONTAINER=$(compose ps -q postgres)
  dispatcher=$(compose ps -q dispatcher)
  rabbit=$(compose ps -q rabbitmq)
  mapfile -t worker_containers < <(compose ps -q worker)
  victim=${worker_containers[0]}
  survivors=("${worker_containers[@]:1}")
  declare -A started_at
  for c in "$dispatcher" "${survivors[@]}"; do
    started_at[$c]=$(docker inspect -f '{{.State.StartedAt}}' "$c")
  done

  : >"$WORK/healthz.log"
  monitor_healthz &
  BACKGROUND_PIDS+=($!)

  log "recovery: submitting $RECOVERY_TASKS compute.matmul tasks $RECOVERY_PAYLOAD in the background (no --wait)"
  cli submit --job compute.matmul --payload "$RECOVERY_PAYLOAD" --count "$RECOVERY_TASKS" --json \
    >"$WORK/recovery-submit.out" 2>&1 &
  local submit_pid=$! submit_start=$SECONDS submit_rc=0 submit_done=0 count
  BACKGROUND_PIDS+=("$submit_pid")

  local deadline=$((SECONDS + 180))
  while :; do
    count=$(terminal_count)
    ((${count:-0} >= KILL_AFTER)) && break
    if ((!submit_done)) && ! kill -0 "$submit_pid" 2>/dev/null; then
      submit_done=1
      wait "$submit_pid" || submit_rc=$?
      ((submit_rc == 0)) || { tail -n 20 "$WORK/recovery-submit.out" | cut -c1-500 | sed 's/^/    /'; fail "workfleet submit exited with $submit_rc"; }
    fi
    ((SECONDS < deadline)) || fail "only ${count:-?} tasks finished 180 s after the submit started"
    sleep 0.2
  done
  docker kill -s KILL "$victim" >/dev/null
  log "recovery: $count tasks finished $((SECONDS - submit_start)) s after the submit started; SIGKILLed worker container ${victim:0:12}"

  if ((!submit_done)); then
    wait "$submit_pid" || submit_rc=$?
    ((submit_rc == 0)) || { tail -n 20 "$WORK/recovery-submit.out" | cut -c1-500 | sed 's/^/    /'; fail "workfleet submit exited with $submit_rc"; }
  fi
  grep -q "\"submitted\":$RECOVERY_TASKS" "$WORK/recovery-submit.out" ||
    fail "workfleet submit did not report $RECOVERY_TASKS submitted: $(tail -n 1 "$WORK/recovery-submit.out" | cut -c1-300)"
  log "recovery: the CLI submitted all $RECOVERY_TASKS tasks in $((SECONDS - submit_start)) s"

  local restart_start=$EPOCHREALTIME at_restart
  at_restart=$(terminal_count)
  log "recovery: docker restart of the rabbitmq container ($at_restart tasks finished)"
  docker restart "$rabbit" >/dev/null || fail "docker restart of rabbitmq failed"
  log "recovery: docker restart returned after $(elapsed "$restart_start") s; polling an AMQP handshake on 127.0.0.1:$AMQP_PORT"
  deadline=$((SECONDS + 120))
  until amqp_accepts; do
    ((SECONDS < deadline)) || fail "RabbitMQ did not accept AMQP connections 120 s after docker restart"
    sleep 0.2
  done
  local up=$EPOCHREALTIME at_up=""
  while [[ -z $at_up ]]; do at_up=$(terminal_count); done
  log "recovery: RabbitMQ accepts connections again $(elapsed "$restart_start") s after the restart began; $at_up/$RECOVERY_TASKS tasks finished"
  ((at_up + RESUMED_TASKS <= RECOVERY_TASKS)) ||
    fail "the work was (nearly) done before the broker came back ($at_up/$RECOVERY_TASKS): heavier tasks needed (WORKFLEET_RECOVERY_PAYLOAD)"

  local first="" resumed="" target=$((at_up + RESUMED_TASKS))
  deadline=$((SECONDS + 120))
  while :; do
    count=$(terminal_count)
    if [[ -z $first ]] && ((${count:-0} > at_up)); then
      first=$(elapsed "$up")
      log "recovery: first task finished $first s after RabbitMQ accepted connections again ($at_up -> $count)"
    fi
    if ((${count:-0} >= target)); then
      resumed=$(elapsed "$up")
      break
    fi
    ((SECONDS < deadline)) || fail "work did not resume: ${count:-?} finished 120 s after RabbitMQ accepted connections again (at that moment: $at_up)"
    sleep 0.2
  done
  log "recovery: $RESUMED_TASKS more tasks finished $resumed s after RabbitMQ accepted connections again ($at_up -> $count)"

  log "recovery: waiting until all $RECOVERY_TASKS tasks are terminal"
  wait_for_terminal "$RECOVERY_TASKS" "after the broker restart"
  log "recovery: all $RECOVERY_TASKS terminal $(elapsed "$up") s after RabbitMQ accepted connections again"
  touch "$WORK/healthz.stop"

  # --- audit of PostgreSQL ---
  log "recovery: tasks by status, attempts by status"
  psql_fast "SELECT 'tasks', status, count(*) FROM tasks GROUP BY status ORDER BY status" | sed 's/^/    /'
  psql_fast "SELECT 'attempts', status, count(*) FROM task_attempts GROUP BY status ORDER BY status" | sed 's/^/    /'
  local total succeeded doubled undecided open retried victim_attempts
  total=$(psql_fast "SELECT count(*) FROM tasks")
  succeeded=$(psql_fast "SELECT count(*) FROM tasks WHERE status = 'Succeeded'")
  doubled=$(psql_fast "SELECT count(*) FROM (SELECT task_id FROM task_attempts WHERE status = 'Succeeded' GROUP BY task_id HAVING count(*) > 1) d")
  undecided=$(psql_fast "SELECT count(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM task_attempts a WHERE a.task_id = t.id AND a.status = 'Succeeded')")
  ((total == RECOVERY_TASKS && succeeded == RECOVERY_TASKS)) || fail "tasks: $succeeded Succeeded of $total rows (expected $RECOVERY_TASKS of $RECOVERY_TASKS)"
  ((doubled == 0)) || fail "$doubled tasks have two or more Succeeded attempts"
  ((undecided == 0)) || fail "$undecided Succeeded tasks have no Succeeded attempt"
  deadline=$((SECONDS + 30))
  while open=$(psql_fast "SELECT count(*) FROM task_attempts WHERE status IN ('Dispatched','Running')"); ((${open:-1} > 0)); do
    ((SECONDS < deadline)) || fail "$open attempts still open (Dispatched or Running) 30 s after every task ended"
    sleep 1
  done
  retried=$(psql_fast "SELECT count(*) FROM tasks WHERE attempt > 1")
  victim_attempts=$(psql_fast "SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) n FROM task_attempts WHERE worker_id LIKE '${victim:0:12}-%' GROUP BY status ORDER BY status) s")
  log "recovery: $succeeded/$RECOVERY_TASKS Succeeded, none twice, no attempt open; $retried tasks needed more than one attempt; attempts of the killed worker: ${victim_attempts:-none}"

  # --- the hosts recovered in process ---
  local restarts started status
  for c in "$dispatcher" "${survivors[@]}"; do
    read -r restarts started status < <(docker inspect -f '{{.RestartCount}} {{.State.StartedAt}} {{.State.Status}}' "$c")
    ((restarts == 0)) && [[ $started == "${started_at[$c]}" && $status == running ]] ||
      fail "container ${c:0:12} was restarted or stopped (restarts $restarts, started $started, was ${started_at[$c]}, $status)"
    if docker logs "$c" 2>&1 | grep -q "exit code 75"; then
      fail "container ${c:0:12} logged the watchdog's exit code 75"
    fi
  done
  log "recovery: dispatcher ${dispatcher:0:12} and workers ${survivors[0]:0:12} ${survivors[1]:0:12}: running since before the restart, 0 restarts, no exit code 75"
  log "recovery: in-process endpoint restarts logged (dispatcher, surviving workers):"
  for c in "$dispatcher" "${survivors[@]}"; do
    printf '    %s: %s restarted, %s consuming again\n' "${c:0:12}" \
      "$(docker logs "$c" 2>&1 | grep -c 'restarting it in process' || true)" \
      "$(docker logs "$c" 2>&1 | grep -c 'consumes again after' || true)"
  done
  log "recovery: killed worker ${victim:0:12}: $(docker inspect -f 'status {{.State.Status}}, {{.RestartCount}} restart(s)' "$victim")"

  # --- the dashboard answered throughout ---
  local probes answered_during no_answer last_code
  probes=$(awk -v a="$restart_start" '$1 >= a' "$WORK/healthz.log" | wc -l)
  answered_during=$(awk -v a="$restart_start" -v b="$up" '$1 >= a && $1 <= b && $2 != "000"' "$WORK/healthz.log" | wc -l)
  no_answer=$(awk -v a="$restart_start" '$1 >= a && $2 == "000"' "$WORK/healthz.log" | wc -l)
  last_code=$(tail -n 1 "$WORK/healthz.log" | cut -d' ' -f2)
  log "recovery: /healthz since the restart began: $probes probes, codes $(awk -v a="$restart_start" '$1 >= a { print $2 }' "$WORK/healthz.log" | sort | uniq -c | awk '{printf "%s x%s ", $2, $1}')"
  ((answered_during > 0)) || fail "/healthz did not answer while RabbitMQ was down"
  ((no_answer == 0)) || fail "/healthz did not answer $no_answer times after the restart began"
  [[ $last_code == 200 ]] || fail "/healthz answered $last_code at the end (expected 200)"

  awk -v f="$first" -v r="$resumed" -v l="$RESUME_LIMIT" 'BEGIN { exit !(f < l && r < l) }' ||
    fail "work resumed too late: first task $first s, $RESUMED_TASKS tasks $resumed s after RabbitMQ accepted connections again (limit $RESUME_LIMIT s)"
  SUMMARY="broker restart with 3 workers (one SIGKILLed), $RECOVERY_TASKS tasks: work resumed $first s (first task) / $resumed s ($RESUMED_TASKS tasks) after RabbitMQ accepted connections again; all $RECOVERY_TASKS Succeeded exactly once; dispatcher and surviving workers not restarted; /healthz answered throughout"
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
if [[ ${WORKFLEET_SMOKE_REUSE_APP_IMAGES:-0} == 1 ]] &&
  docker image inspect workfleet/dispatcher:local workfleet/worker:local >/dev/null 2>&1; then
  log "reusing the existing app images (WORKFLEET_SMOKE_REUSE_APP_IMAGES=1)"
else
  step "build-app-images (publish + docker build)" "$WORK/app-images.log" infra/scripts/build-app-images.sh
fi
step "publish the CLI" "$WORK/cli.log" \
  dotnet publish src/WorkFleet.Cli -c Release -o "$WORK/cli" -nologo -v quiet
step "write the broker definitions" "$WORK/definitions.log" \
  dotnet "$WORK/cli/workfleet.dll" broker-definitions --out "$WORKFLEET_RABBITMQ_DEFINITIONS"
chmod 644 "$WORKFLEET_RABBITMQ_DEFINITIONS"

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

if ((RECOVERY)); then
  recovery_scenario
  PASSED=1
  exit 0
fi

# --- hardening: no app process as root, no default password accepted -------------------------
log "hardening: users of the containers' processes, default passwords"
for service in dispatcher worker; do
  for container in $(compose ps -q "$service"); do
    user=$(docker inspect -f '{{.Config.User}}' "$container")
    [[ $user == 10001* ]] || fail "$service container ${container:0:12} is configured to run as '$user' (expected 10001)"
    docker top "$container" -eo pid,uid,comm >"$WORK/ps.txt" || fail "docker top $service ${container:0:12} failed"
    (($(wc -l <"$WORK/ps.txt") > 1)) || fail "docker top listed no process of $service ${container:0:12}"
    rootprocs=$(awk 'NR > 1 && $2 == 0' "$WORK/ps.txt")
    [[ -z $rootprocs ]] || fail "$service container ${container:0:12} runs processes as root: $rootprocs"
  done
done
for service in rabbitmq postgres; do
  container=$(compose ps -q "$service")
  pid=$(docker inspect -f '{{.State.Pid}}' "$container")
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  [[ $uid != 0 ]] || fail "the $service server process (pid $pid) runs as root"
done
# Positive controls first: the checks below must be able to succeed.
compose exec -T rabbitmq rabbitmqctl authenticate_user workfleet-operator "$WORKFLEET_RABBITMQ_OPERATOR_PASSWORD" >/dev/null 2>&1 ||
  fail "rabbitmqctl authenticate_user does not accept the operator's real password (the check cannot work)"
compose exec -T -e PGPASSWORD="$WORKFLEET_POSTGRES_READ_PASSWORD" postgres psql -h 127.0.0.1 -U workfleet_read -d workfleet -c 'SELECT 1' >/dev/null 2>&1 ||
  fail "psql over TCP does not accept workfleet_read's real password (the check cannot work)"
for credentials in "guest guest" "workfleet workfleet" "admin admin"; do
  # shellcheck disable=SC2086 # two words: user and password
  if compose exec -T rabbitmq rabbitmqctl authenticate_user $credentials >/dev/null 2>&1; then
    fail "RabbitMQ accepted the default credentials '$credentials'"
  fi
done
for credentials in "postgres postgres" "workfleet workfleet" "workfleet_owner workfleet" "workfleet_app workfleet"; do
  read -r pguser pgpassword <<<"$credentials"
  if compose exec -T -e PGPASSWORD="$pgpassword" postgres psql -h 127.0.0.1 -U "$pguser" -d workfleet -c 'SELECT 1' >/dev/null 2>&1; then
    fail "PostgreSQL accepted the default credentials '$credentials' over TCP"
  fi
done
# A dispatcher given a known default password refuses to start, naming the setting.
if timeout 120 "${COMPOSE[@]}" -p "$PROJECT" -f "$ROOT/docker-compose.yml" run --rm --no-deps \
  -e WorkFleet__Transport__RabbitMq__Password=guest dispatcher >"$WORK/default-password.log" 2>&1; then
  fail "a dispatcher with the broker password 'guest' started"
fi
grep -q "known default password" "$WORK/default-password.log" ||
  fail "the dispatcher with password 'guest' did not say why it stopped: $(tail -n 5 "$WORK/default-password.log" | tr '\n' ' ')"
log "hardening: dispatcher and worker processes run as uid 10001, broker and database servers not as root;"
log "  default credentials refused by RabbitMQ and PostgreSQL; a dispatcher with password 'guest' refused to start"

submit 20 three-workers
served=$(wc -l <"$WORK/three-workers.workers")
((served == 3)) || fail "20 tasks were served by $served workers (expected all 3)"

# --- the dispatcher's HTTP side, through the published port ---------------------------------
dashboard="http://127.0.0.1:$DASHBOARD_PORT"
log "dashboard at $dashboard: /healthz, /api/status, /metrics"
# The API needs a key: $WORKFLEET_API_KEY when the stack was given one, else the admin key the dispatcher generated
# and logged at start ("Open the dashboard at http://...#key=KEY").
api_key=${WORKFLEET_API_KEY:-$(compose logs --no-color dispatcher 2>&1 | grep -o '#key=[A-Za-z0-9_-]*' | tail -n 1 | cut -d= -f2)}
[[ -n $api_key ]] || fail "no API key: set WORKFLEET_API_KEY or let the dispatcher log its generated key"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$dashboard/api/status")
[[ $code == 401 ]] || fail "GET /api/status without a key answered $code (expected 401)"
curl -fsS --max-time 10 "$dashboard/healthz" >"$WORK/healthz.json" || fail "GET /healthz failed"
curl -fsS --max-time 10 -H "Authorization: Bearer $api_key" "$dashboard/api/status" >"$WORK/api-status.json" || fail "GET /api/status failed"
curl -fsS --max-time 10 -H "Authorization: Bearer $api_key" "$dashboard/metrics" >"$WORK/metrics.txt" || fail "GET /metrics failed"
curl -fsS --max-time 10 "$dashboard/" >"$WORK/dashboard.html" || fail "GET / failed"
grep -q "<title>WorkFleet dispatcher</title>" "$WORK/dashboard.html" || fail "GET / did not return the dashboard page"
live_in_view=$(grep -o '"health":"live"' "$WORK/api-status.json" | wc -l || true)
((live_in_view == 3)) || fail "/api/status shows $live_in_view live workers (expected 3): $(head -c 600 "$WORK/api-status.json")"
# The exporter may add labels (otel_scope_name) and a timestamp after the value.
finished_metric=$(awk '/^workfleet_tasks_finished_total\{/ && /outcome="succeeded"/ && /error_kind=""/ { sub(/^[^}]*\} /, ""); print $1 }' "$WORK/metrics.txt")
[[ $finished_metric == 20 ]] ||
  fail "/metrics does not count 20 successes: $(grep '^workfleet_tasks_finished_total' "$WORK/metrics.txt" | tr '\n' ' ')"
log "dashboard: healthz $(cat "$WORK/healthz.json"), 3 live workers in /api/status, 20 successes in /metrics"

# `workfleet top`, one frame, against the stack: every live worker's id is on it.
cli top --once --url "$dashboard" --api-key "$api_key" >"$WORK/top.txt" 2>&1 || { tail -n 20 "$WORK/top.txt" | sed 's/^/    /'; fail "workfleet top --once failed"; }
grep -q "workers live 3/3" "$WORK/top.txt" || fail "workfleet top --once does not show 3 live workers: $(head -c 1500 "$WORK/top.txt")"
for worker in "${workers[@]}"; do
  # The container's host name (the id's first 12 characters) is on the frame even if a narrow terminal cuts the id.
  grep -q -- "${worker:0:12}" "$WORK/top.txt" || fail "workfleet top --once does not show worker $worker: $(head -c 1500 "$WORK/top.txt")"
done
log "workfleet top --once shows the 3 workers"

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
SUMMARY="3 workers registered with unique ids ${REGISTER_SECONDS} s after compose up started (stack up in ${UP_SECONDS} s); no app process as root, default passwords refused; 20/20 tasks served by all 3, counted by the dashboard and shown by workfleet top; 10/10 after scaling to 1 worker"
