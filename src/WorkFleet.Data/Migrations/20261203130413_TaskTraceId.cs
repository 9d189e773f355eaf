using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// <c>tasks.trace_id</c>: the W3C trace id the task arrived in, kept for its retries and shown by the API; nullable,
    /// as untraced tasks and older rows have none.
    /// </summary>
    public partial class TaskTraceId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_id",
                table: "tasks",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_id",
                table: "tasks");
        }
    }
}
