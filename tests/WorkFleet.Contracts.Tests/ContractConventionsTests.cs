using System.Reflection;

namespace WorkFleet.Contracts.Tests;

/// <summary>Rules MassTransit (message URNs come from namespace + name) and the public wire API depend on.</summary>
public sealed class ContractConventionsTests
{
    private static readonly Type[] PublicTypes = typeof(SubmitTask).Assembly.GetExportedTypes();

    private static bool IsRecordClass(Type type) =>
        type.IsClass && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance) is not null;

    [Fact]
    public void PublicTypes_All_LiveInTheContractsNamespace()
    {
        // Arrange
        var types = PublicTypes;

        // Act
        var outside = types.Where(t => t.Namespace != "WorkFleet.Contracts").Select(t => t.FullName).ToList();

        // Assert
        Assert.NotEmpty(types);
        Assert.Empty(outside);
    }

    [Fact]
    public void Records_All_AreSealed()
    {
        // Arrange
        var records = PublicTypes.Where(IsRecordClass).ToList();

        // Act
        var unsealed = records.Where(t => !t.IsSealed).Select(t => t.FullName).ToList();

        // Assert
        Assert.Superset(
            new HashSet<string?>
            {
                typeof(SubmitTask).FullName, typeof(ExecuteTask).FullName, typeof(TaskStarted).FullName,
                typeof(TaskCompleted).FullName, typeof(TaskFailed).FullName, typeof(TaskFinished).FullName,
                typeof(WorkerHeartbeat).FullName,
            },
            records.Select(t => t.FullName).ToHashSet());
        Assert.Empty(unsealed);
    }
}
