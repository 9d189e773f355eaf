using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkFleet.Data.Migrations;

/// <summary>
/// <c>task_attempts.retry_at</c>: when a failed attempt's retry became due, so the backoff between attempts
/// stays visible in the history after <c>tasks.next_attempt_at</c> is cleared by the next dispatch.
/// </summary>
[DbContext(typeof(WorkFleetDbContext))]
[Migration("20261123120000_AttemptRetryAt")]
public sealed class AttemptRetryAt : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.AddColumn<DateTime>(
            name: "retry_at",
            table: "task_attempts",
            type: "timestamp with time zone",
            nullable: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropColumn(name: "retry_at", table: "task_attempts");
    }
}
