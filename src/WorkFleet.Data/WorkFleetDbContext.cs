using Microsoft.EntityFrameworkCore;
using WorkFleet.Data.Entities;

namespace WorkFleet.Data;

/// <summary>The fleet's store: workers, tasks and attempt history. Table and column names are snake_case.</summary>
public sealed class WorkFleetDbContext(DbContextOptions<WorkFleetDbContext> options) : DbContext(options)
{
    /// <summary>Latest heartbeat per worker.</summary>
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    /// <summary>Tasks and their outcome.</summary>
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();

    /// <summary>Attempt history.</summary>
    public DbSet<TaskAttemptRecord> TaskAttempts => Set<TaskAttemptRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<WorkerRecord>(worker =>
        {
            worker.ToTable("workers");
            worker.HasKey(w => w.Id);
            worker.Property(w => w.Id).HasColumnName("id");
            worker.Property(w => w.QueueName).HasColumnName("queue_name");
            worker.Property(w => w.Weight).HasColumnName("weight");
            worker.Property(w => w.Capacity).HasColumnName("capacity");
            worker.Property(w => w.InFlight).HasColumnName("in_flight");
            worker.Property(w => w.Queued).HasColumnName("queued");
            worker.Property(w => w.CompletedTotal).HasColumnName("completed_total");
            worker.Property(w => w.FailedTotal).HasColumnName("failed_total");
            worker.Property(w => w.CpuUtilization).HasColumnName("cpu_utilization");
            worker.Property(w => w.MemoryUtilization).HasColumnName("memory_utilization");
            worker.Property(w => w.HostCpuUtilization).HasColumnName("host_cpu_utilization");
            worker.Property(w => w.HostMemoryUtilization).HasColumnName("host_memory_utilization");
            worker.Property(w => w.Gpus).HasColumnName("gpus").HasColumnType("jsonb");
            worker.Property(w => w.EwmaTaskDurationMs).HasColumnName("ewma_task_duration_ms");
            worker.Property(w => w.JobTypes).HasColumnName("job_types");
            worker.Property(w => w.Capabilities).HasColumnName("capabilities");
            worker.Property(w => w.State).HasColumnName("state");
            worker.Property(w => w.Sequence).HasColumnName("sequence");
            worker.Property(w => w.StartedAt).HasColumnName("started_at");
            worker.Property(w => w.LastHeartbeatAt).HasColumnName("last_heartbeat_at");
            worker.Property(w => w.FirstSeenAt).HasColumnName("first_seen_at");
        });

        modelBuilder.Entity<TaskRecord>(task =>
        {
            task.ToTable("tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Id).HasColumnName("id");
            task.Property(t => t.JobType).HasColumnName("job_type");
            task.Property(t => t.Payload).HasColumnName("payload");
            task.Property(t => t.Priority).HasColumnName("priority");
            task.Property(t => t.RequiredCapabilities).HasColumnName("required_capabilities");
            task.Property(t => t.TimeoutMs).HasColumnName("timeout_ms");
            task.Property(t => t.ExpectedCostMs).HasColumnName("expected_cost_ms");
            task.Property(t => t.Status).HasColumnName("status").HasConversion<string>();
            task.Property(t => t.Attempt).HasColumnName("attempt");
            task.Property(t => t.WorkerId).HasColumnName("worker_id");
            task.Property(t => t.SubmittedAt).HasColumnName("submitted_at");
            task.Property(t => t.CreatedAt).HasColumnName("created_at");
            task.Property(t => t.DispatchedAt).HasColumnName("dispatched_at");
            task.Property(t => t.NextAttemptAt).HasColumnName("next_attempt_at");
            task.Property(t => t.FinishedAt).HasColumnName("finished_at");
            task.Property(t => t.Result).HasColumnName("result");
            task.Property(t => t.Error).HasColumnName("error");
            task.Property(t => t.ErrorKind).HasColumnName("error_kind");
            task.Property(t => t.ReplyTo).HasColumnName("reply_to");
            task.Property(t => t.SubmittedBy).HasColumnName("submitted_by");
            task.Property(t => t.TraceId).HasColumnName("trace_id");
            task.HasIndex(t => t.Status).HasDatabaseName("ix_tasks_status");
            task.HasIndex(t => new { t.Status, t.NextAttemptAt }).HasDatabaseName("ix_tasks_status_next_attempt_at");
            task.HasIndex(t => t.WorkerId).HasDatabaseName("ix_tasks_worker_id");
        });

        modelBuilder.Entity<TaskAttemptRecord>(attempt =>
        {
            attempt.ToTable("task_attempts");
            attempt.HasKey(a => new { a.TaskId, a.Attempt });
            attempt.Property(a => a.TaskId).HasColumnName("task_id");
            attempt.Property(a => a.Attempt).HasColumnName("attempt");
            attempt.Property(a => a.WorkerId).HasColumnName("worker_id");
            attempt.Property(a => a.Status).HasColumnName("status").HasConversion<string>();
            attempt.Property(a => a.DispatchedAt).HasColumnName("dispatched_at");
            attempt.Property(a => a.StartedAt).HasColumnName("started_at");
            attempt.Property(a => a.FinishedAt).HasColumnName("finished_at");
            attempt.Property(a => a.CompletedAt).HasColumnName("completed_at");
            attempt.Property(a => a.RetryAt).HasColumnName("retry_at");
            attempt.Property(a => a.Error).HasColumnName("error");
            attempt.Property(a => a.ErrorKind).HasColumnName("error_kind");
            attempt.HasIndex(a => a.WorkerId).HasDatabaseName("ix_task_attempts_worker_id");
            attempt.HasOne<TaskRecord>().WithMany().HasForeignKey(a => a.TaskId)
                .HasConstraintName("fk_task_attempts_tasks_task_id").OnDelete(DeleteBehavior.Cascade);
        });
    }
}
