namespace WorkFleet.Jobs.Tests.Support;

/// <summary>A second handler for the greeting types, to collide with <see cref="GreetingHandler"/>.</summary>
public sealed class OtherGreetingHandler : IJobHandler<GreetingInput, GreetingOutput>
{
    public Task<GreetingOutput> HandleAsync(GreetingInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new GreetingOutput("Hi", 2));
}
