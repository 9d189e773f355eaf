using Xunit;

namespace WorkFleet.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes marked <c>[Collection("Infrastructure")]</c> share one <see cref="InfrastructureFixture"/>
/// (one RabbitMQ and one PostgreSQL server per test run); they isolate themselves with their own
/// virtual hosts and databases.
/// </summary>
[CollectionDefinition("Infrastructure")]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>;
