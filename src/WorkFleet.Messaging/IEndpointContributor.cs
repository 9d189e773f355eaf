using MassTransit;

namespace WorkFleet.Messaging;

/// <summary>
/// A role (dispatcher, worker, client) adds its receive endpoints to the process's one bus through this.
/// Several roles can share a process (the embedded demo), each contributing its own endpoints.
/// </summary>
public interface IEndpointContributor
{
    /// <summary>Declares the role's receive endpoints.</summary>
    void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus);
}
