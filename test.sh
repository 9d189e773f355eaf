#!/usr/bin/env bash
# Runs the WorkFleet test suite, provisioning what the integration tests need first:
#   ./test.sh                                                 # all tests
#   ./test.sh --filter Category=Integration                   # any `dotnet test` arguments pass through
#   ./test.sh --filter FullyQualifiedName~InfrastructureFixtureTests
# Provisioning (idempotent; the first run on a fresh machine takes a few minutes): installs and
# starts a Docker engine (infra/scripts/ensure-docker.sh) and builds the local RabbitMQ/PostgreSQL
# images from Debian packages (infra/scripts/build-local-images.sh).
# Environment:
#   WORKFLEET_TEST_RABBITMQ=host:port:user:password   use a running broker instead of a container
#   WORKFLEET_TEST_POSTGRES=<Npgsql connection string> use a running PostgreSQL instead of a container
#     (provisioning is skipped when both are set)
#   WORKFLEET_TEST_RABBITMQ_IMAGE / WORKFLEET_TEST_POSTGRES_IMAGE   container images
#     (default workfleet/rabbitmq:local / workfleet/postgres:local; e.g. rabbitmq:3.13-management)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ -z "${WORKFLEET_TEST_RABBITMQ:-}" || -z "${WORKFLEET_TEST_POSTGRES:-}" ]]; then
  infra/scripts/ensure-docker.sh
  infra/scripts/build-local-images.sh
fi
infra/scripts/ensure-chromium.sh  # the dashboard's browser test drives Debian's chromium (Playwright, no download)
export WORKFLEET_TEST_RABBITMQ_IMAGE=${WORKFLEET_TEST_RABBITMQ_IMAGE:-workfleet/rabbitmq:local}
export WORKFLEET_TEST_POSTGRES_IMAGE=${WORKFLEET_TEST_POSTGRES_IMAGE:-workfleet/postgres:local}

# Remove test containers left by aborted runs: the fixture labels each container with the pid of
# its test process; containers of runs still in progress (pid alive) are left alone.
if docker info >/dev/null 2>&1; then
  docker ps -a --filter label=workfleet.test=1 --format '{{.ID}} {{.Label "workfleet.test.pid"}}' |
    while read -r id pid; do
      if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
        echo "[test] removing leftover test container $id"
        docker rm -f -v "$id" >/dev/null
      fi
    done
fi

exec dotnet test WorkFleet.sln "$@"
