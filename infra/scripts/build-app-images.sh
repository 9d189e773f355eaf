#!/usr/bin/env bash
# Publishes the dispatcher and worker hosts self-contained for linux-x64 and builds their images:
#   workfleet/dispatcher:local, workfleet/worker:local
# Env: RUNTIME_IMAGE (base image; default workfleet/runtime:local, made by build-local-images.sh;
# use mcr.microsoft.com/dotnet/runtime-deps:10.0 where MCR is reachable).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

runtime_image=${RUNTIME_IMAGE:-workfleet/runtime:local}
for pair in dispatcher:WorkFleet.DispatcherHost worker:WorkFleet.WorkerHost; do
  app=${pair%%:*} project=${pair#*:}
  echo "[app-images] publishing $project -> artifacts/publish/$app"
  rm -rf "artifacts/publish/$app"
  dotnet publish "src/$project" -c Release -r linux-x64 --self-contained -o "artifacts/publish/$app" -nologo -v quiet
  echo "[app-images] building workfleet/$app:local on $runtime_image"
  docker build -q -f infra/docker/app.Dockerfile --build-arg APP="$app" \
    --build-arg RUNTIME_IMAGE="$runtime_image" -t "workfleet/$app:local" .
done
