using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// Retries and rescues: <c>tasks.next_attempt_at</c> holds the earliest time a task may be dispatched
    /// again, with indexes for the scan that finds due tasks and for the rescue of one worker's attempts.
    /// </summary>
    public partial class RetrySchedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "next_attempt_at",
                table: "tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tasks_status_next_attempt_at",
                table: "tasks",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_worker_id",
                table: "tasks",
                column: "worker_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_status_next_attempt_at",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_tasks_worker_id",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "tasks");
        }
    }
}
