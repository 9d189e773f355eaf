using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkFleet.Data.Migrations
{
    /// <summary>
    /// <c>tasks.reply_to</c> (the producer's checked reply queue, where the outcome is sent) and <c>submitted_by</c> (the
    /// broker-validated user that submitted the task, who may cancel it), nullable: older rows, HTTP submits and
    /// producers without a reply queue have none.
    /// </summary>
    public partial class TaskReplyAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reply_to",
                table: "tasks",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "submitted_by",
                table: "tasks",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reply_to",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "submitted_by",
                table: "tasks");
        }
    }
}
