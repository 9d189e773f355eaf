namespace WorkFleet.Testing.Infrastructure;

/// <summary>Npgsql connection strings for one test database, one per role of infra/postgres/workfleet-roles.sql.</summary>
/// <param name="Superuser">The fixture's superuser (what <see cref="InfrastructureFixture.CreateDatabaseAsync"/> returns).</param>
/// <param name="Owner"><c>workfleet_owner</c>: owns the database; runs the migrate step.</param>
/// <param name="App"><c>workfleet_app</c>: the dispatcher's runtime role, DML only.</param>
/// <param name="Read"><c>workfleet_read</c>: SELECT only.</param>
public sealed record DatabaseRoleConnections(string Superuser, string Owner, string App, string Read);
