using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the fleet's store.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Adds a pooled <see cref="WorkFleetDbContext"/> factory configured from <c>WorkFleet:Database</c> and
    /// the <see cref="DatabaseInitializer"/> and <see cref="DatabaseMigrator"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddWorkFleetData(this IServiceCollection services, Action<DatabaseOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(DatabaseInitializer)))
        {
            return services;
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "WorkFleet:Database:ConnectionString must be set.")
            .ValidateOnStart();
        services.AddPooledDbContextFactory<WorkFleetDbContext>((sp, builder) =>
            DbContextOptionsConfigurator.Configure(builder, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.TryAddSingleton<DatabaseInitializer>();
        services.TryAddSingleton<DatabaseMigrator>();
        return services;
    }
}
