
namespace WorkFleet.ChaosTests;

/// <summary>
/// The chaos tests share one RabbitMQ and one PostgreSQL of their own (an <see cref="InfrastructureFixture"/>
/// instance no other test uses), because they restart and kill those servers; being one collection,
/// they run one after another. Each test still gets its own virtual host and database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<InfrastructureFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Chaos";
}
