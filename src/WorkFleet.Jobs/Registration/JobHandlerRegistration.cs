namespace WorkFleet.Jobs.Registration;

/// <summary>
/// One <c>AddJobHandler</c> call, kept in the service collection as an instance so that a repeated
/// identical call can be recognised and skipped, and turned into a handler when the registry is built.
/// </summary>
/// <param name="JobType">The registered job type.</param>
/// <param name="AdapterType">The closed adapter type; equal types mean the same handler, input and output.</param>
/// <param name="CreateHandler">Creates the untyped handler from the application's services.</param>
internal sealed record JobHandlerRegistration(
    string JobType,
    Type AdapterType,
    Func<IServiceProvider, IJobHandler> CreateHandler);
