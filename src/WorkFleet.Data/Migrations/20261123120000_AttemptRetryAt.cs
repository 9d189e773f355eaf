using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// <c>task_attempts.retry_at</c>: when a failed attempt's retry became due, so the backoff between attempts
    /// stays visible in the history after <c>tasks.next_attempt_at</c> is cleared by the next dispatch.
    /// </summary>
    public partial class AttemptRetryAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "retry_at",
                table: "task_attempts",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "retry_at",
                table: "task_attempts");
        }
    }
}
