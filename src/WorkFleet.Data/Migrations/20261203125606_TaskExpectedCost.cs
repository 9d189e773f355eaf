using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// <c>tasks.expected_cost_ms</c>, the producer's cost hint (ms at weight 1), nullable: older rows and tasks submitted
    /// without a hint have none. A task still waiting after a restart is ordered and placed by it as before.
    /// </summary>
    public partial class TaskExpectedCost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "expected_cost_ms",
                table: "tasks",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "expected_cost_ms",
                table: "tasks");
        }
    }
}
