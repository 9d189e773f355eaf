using Microsoft.EntityFrameworkCore;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.IntegrationTests;

/// <summary>The <c>workers</c> upsert (PostgreSQL's unnest statement) keeps the host signals, and absent ones as null.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class WorkerStoreHostSignalsTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Upsert_HostFiguresAndGpus_StoredAndReadBack_AbsentStayNull()
    {
        // Arrange: one worker with host figures and a GPU, one older worker without any.
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("hostsig"));
        await using (var db = Store.Open(database))
        {
            await db.Database.MigrateAsync();
        }

        var store = new WorkerStore(new Contexts(database));
        var receivedAt = DateTime.UtcNow;
        var gpu = new GpuStatus { Index = 0, Name = "NVIDIA A10G", Utilization = null, MemoryUsedBytes = 3L << 30, MemoryTotalBytes = 24L << 30 };
        var withGpu = Heartbeat("w-gpu", 1) with { HostCpuUtilization = 0.375, HostMemoryUtilization = 0.5, Gpus = [gpu] };
        var old = Heartbeat("w-old", 1);

        // Act: insert both, then the GPU worker loses its tool (next beat without GPUs) and is updated.
        await store.UpsertAsync([new(withGpu, receivedAt), new(old, receivedAt)], CancellationToken.None);
        var first = (await store.LoadAsync(CancellationToken.None)).ToDictionary(r => r.Id);
        await store.UpsertAsync([new(withGpu with { Sequence = 2, Gpus = null, HostCpuUtilization = 0.125 }, receivedAt)], CancellationToken.None);
        var second = (await store.LoadAsync(CancellationToken.None)).Single(r => r.Id == "w-gpu");

        // Assert
        var stored = SnapshotMapper.FromRecord(first["w-gpu"]);
        Assert.Equal(0.375, stored.HostCpuUtilization);
        Assert.Equal(0.5, stored.HostMemoryUtilization);
        Assert.Equal(0.5, stored.ResourceLoad);
        Assert.Equal([gpu], stored.Gpus!);
        var none = SnapshotMapper.FromRecord(first["w-old"]);
        Assert.Null(none.HostCpuUtilization);
        Assert.Null(none.HostMemoryUtilization);
        Assert.Null(none.Gpus);
        Assert.Null(first["w-old"].Gpus);
        Assert.Equal(0.125, second.HostCpuUtilization);
        Assert.Null(second.Gpus);
    }

    private static WorkerHeartbeat Heartbeat(string id, long sequence) => new()
    {
        WorkerId = id,
        QueueName = QueueNames.ForWorker(id),
        Capacity = 2,
        JobTypes = ["compute.matmul"],
        Sequence = sequence,
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        SentAt = DateTimeOffset.UtcNow,
    };

    private sealed class Contexts(string database) : IDbContextFactory<WorkFleetDbContext>
    {
        public WorkFleetDbContext CreateDbContext() => Store.Open(database);
    }
}
