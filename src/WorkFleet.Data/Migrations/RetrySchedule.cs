using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkFleet.Data.Migrations;

/// <summary>
/// Retries and rescues: <c>tasks.next_attempt_at</c> holds the earliest time a task may be dispatched
/// again, with indexes for the scan that finds due tasks and for the rescue of one worker's attempts.
/// </summary>
[DbContext(typeof(WorkFleetDbContext))]
[Migration("20261123100000_RetrySchedule")]
public sealed class RetrySchedule : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<DateTime>(
            name: "next_attempt_at",
            table: "tasks",
            type: "timestamp with time zone",
            nullable: true);
        migrationBuilder.CreateIndex(name: "ix_tasks_status_next_attempt_at", table: "tasks", columns: ["status", "next_attempt_at"]);
        migrationBuilder.CreateIndex(name: "ix_tasks_worker_id", table: "tasks", column: "worker_id");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropIndex(name: "ix_tasks_worker_id", table: "tasks");
        migrationBuilder.DropIndex(name: "ix_tasks_status_next_attempt_at", table: "tasks");
        migrationBuilder.DropColumn(name: "next_attempt_at", table: "tasks");
    }
}
