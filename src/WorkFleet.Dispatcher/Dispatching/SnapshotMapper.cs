using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Turns heartbeats (live or stored) into balancing snapshots.</summary>
public static class SnapshotMapper
{
    /// <summary>From a heartbeat message received at <paramref name="receivedAt"/>.</summary>
    public static WorkerSnapshot FromHeartbeat(WorkerHeartbeat heartbeat, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return new WorkerSnapshot
        {
            WorkerId = heartbeat.WorkerId,
            Weight = heartbeat.Weight,
            Capacity = heartbeat.Capacity,
            ReportedLoad = heartbeat.InFlight + heartbeat.Queued,
            IsDraining = heartbeat.State != WorkerState.Active,
            JobTypes = heartbeat.JobTypes.ToHashSet(StringComparer.Ordinal),
            Capabilities = heartbeat.Capabilities.ToHashSet(StringComparer.Ordinal),
            EwmaTaskDurationMs = heartbeat.EwmaTaskDurationMs,
            HostCpuUtilization = heartbeat.HostCpuUtilization,
            HostMemoryUtilization = heartbeat.HostMemoryUtilization,
            Gpus = heartbeat.Gpus,
            Sequence = heartbeat.Sequence,
            Incarnation = heartbeat.StartedAt,
            LastSeen = receivedAt,
        };
    }

    /// <summary>From a row of the <c>workers</c> table (what a previous dispatcher stored).</summary>
    public static WorkerSnapshot FromRecord(WorkerRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new WorkerSnapshot
        {
            WorkerId = row.Id,
            Weight = row.Weight,
            Capacity = row.Capacity,
            ReportedLoad = row.InFlight + row.Queued,
            IsDraining = row.State != nameof(WorkerState.Active),
            JobTypes = row.JobTypes.ToHashSet(StringComparer.Ordinal),
            Capabilities = row.Capabilities.ToHashSet(StringComparer.Ordinal),
            EwmaTaskDurationMs = row.EwmaTaskDurationMs,
            HostCpuUtilization = row.HostCpuUtilization,
            HostMemoryUtilization = row.HostMemoryUtilization,
            Gpus = WorkerStore.ReadGpus(row.Gpus),
            Sequence = row.Sequence,
            Incarnation = StoredTime.AsUtc(row.StartedAt),
            LastSeen = StoredTime.AsUtc(row.LastHeartbeatAt),
        };
    }
}
