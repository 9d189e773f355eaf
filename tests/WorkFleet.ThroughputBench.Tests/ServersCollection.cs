using WorkFleet.Testing.Infrastructure;

namespace WorkFleet.ThroughputBench.Tests;

/// <summary>One RabbitMQ and one PostgreSQL for this assembly's tests.</summary>
[CollectionDefinition(nameof(ServersCollection))]
public sealed class ServersCollection : ICollectionFixture<InfrastructureFixture>;
