namespace WorkFleet.Jobs.Tests.Support;

/// <summary>Implements the typed interface twice, so its input type cannot be inferred.</summary>
public sealed class TwoFacedHandler : IJobHandler<GreetingInput, GreetingOutput>, IJobHandler<CountingInput, GreetingOutput>
{
    public Task<GreetingOutput> HandleAsync(GreetingInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new GreetingOutput("a", 1));

    public Task<GreetingOutput> HandleAsync(CountingInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new GreetingOutput("b", 1));
}
