# One image definition for both app roles. Build context: repo root, after a self-contained
#   dotnet publish src/WorkFleet.<Role>Host -r linux-x64 --self-contained -o artifacts/publish/<app>
# (infra/scripts/build-app-images.sh does both steps).
#   APP           dispatcher | worker
#   RUNTIME_IMAGE defaults to Microsoft's runtime-deps; workfleet/runtime:local where MCR is unreachable.
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${RUNTIME_IMAGE}
ARG APP
WORKDIR /app
COPY artifacts/publish/${APP}/ /app/
# The role's apphost (WorkFleet.DispatcherHost or WorkFleet.WorkerHost, the only file matching the
# glob) copied under a fixed name, so ENTRYPOINT needs neither a shell nor a per-role value. An
# apphost finds its .dll by the name baked into it, relative to its own directory.
COPY artifacts/publish/${APP}/WorkFleet.*Host /app/entry
# Not root: a fixed numeric uid/gid (no passwd entry needed, so any base image works and Kubernetes'
# runAsNonRoot can verify it). /app and its files stay owned by root and read-only to this user; the
# only writable place is /tmp (a tmpfs in compose, where the root filesystem is read-only), which also
# holds .NET's diagnostics sockets and anything written under HOME.
ENV HOME=/tmp
USER 10001:10001
ENTRYPOINT ["/app/entry"]
