namespace WorkFleet.IntegrationTests;

/// <summary>
/// Test classes marked <c>[Collection("Infrastructure")]</c> share one <see cref="InfrastructureFixture"/>
/// (one RabbitMQ and one PostgreSQL server per test run); they isolate themselves with their own
/// virtual hosts and databases. xunit finds collection definitions only in the test assembly itself,
/// so this class lives here while the fixture lives in WorkFleet.Testing.
/// </summary>
[CollectionDefinition("Infrastructure")]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>;
