using Microsoft.Extensions.DependencyInjection;

namespace WorkFleet.Jobs.Tests.Support;

/// <summary>Builds a <see cref="JobHandlerRegistry"/> the way a host does: from a service collection.</summary>
internal static class TestRegistry
{
    public static JobHandlerRegistry Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions
        {
            ValidateScopes = true,
            ValidateOnBuild = true,
        });
        return provider.GetRequiredService<JobHandlerRegistry>();
    }

    public static IJobHandler BuiltIn(string jobType)
    {
        JobHandlerRegistry registry = Build(services => services.AddBuiltInJobs());
        return registry.TryGet(jobType, out IJobHandler? handler)
            ? handler
            : throw new InvalidOperationException($"'{jobType}' is not registered.");
    }
}
