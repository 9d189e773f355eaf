using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// <c>workers.host_cpu_utilization</c>, <c>host_memory_utilization</c> and <c>gpus</c> (jsonb): the host-level
    /// signals of the latest heartbeat, nullable because older workers and hosts without /proc or a GPU tool send none.
    /// </summary>
    public partial class WorkerHostSignals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "gpus",
                table: "workers",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "host_cpu_utilization",
                table: "workers",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "host_memory_utilization",
                table: "workers",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "gpus",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "host_cpu_utilization",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "host_memory_utilization",
                table: "workers");
        }
    }
}
