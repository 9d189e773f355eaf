#!/usr/bin/env bash
# Publishes the dispatcher and worker hosts self-contained for linux-x64 and builds their images:
#   workfleet/dispatcher:local, workfleet/worker:local
# Always republishes and rebuilds (about a minute), so the images match the current sources.
# Concurrent callers are serialised (they share artifacts/publish/<app>).
# Env: RUNTIME_IMAGE (base image; default workfleet/runtime:local, made by build-local-images.sh;
# use mcr.microsoft.com/dotnet/runtime-deps:10.0 where MCR is reachable).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

log() { echo "[app-images] $*"; }

runtime_image=${RUNTIME_IMAGE:-workfleet/runtime:local}
mkdir -p artifacts/publish
exec 9>artifacts/publish/.app-images.lock
flock 9

for pair in dispatcher:WorkFleet.DispatcherHost worker:WorkFleet.WorkerHost; do
  app=${pair%%:*} project=${pair#*:}
  log "publishing $project -> artifacts/publish/$app"
  start=$SECONDS
  rm -rf "artifacts/publish/$app"
  dotnet publish "src/$project" -c Release -r linux-x64 --self-contained -o "artifacts/publish/$app" -nologo -v quiet
  log "published $app in $((SECONDS - start)) s"
  start=$SECONDS
  log "building workfleet/$app:local on $runtime_image"
  # Without buildx, docker prints a notice that the legacy builder is deprecated: drop it.
  docker build -q -f infra/docker/app.Dockerfile --build-arg APP="$app" \
    --build-arg RUNTIME_IMAGE="$runtime_image" -t "workfleet/$app:local" . 2>&1 |
    { grep -v -e 'DEPRECATED' -e 'legacy builder' -e 'buildx' -e '^[[:space:]]*$' || true; }
  log "built workfleet/$app:local in $((SECONDS - start)) s"
done
