namespace WorkFleet.Jobs.Tests.Support;

/// <summary>A user-style typed handler; the name "busy" makes it fail transiently.</summary>
public sealed class GreetingHandler : IJobHandler<GreetingInput, GreetingOutput>
{
    public const string BusyName = "busy";

    public Task<GreetingOutput> HandleAsync(GreetingInput input, CancellationToken cancellationToken)
    {
        if (input.Name == BusyName)
        {
            throw new TransientJobException("The greeting service is busy.");
        }

        string text = string.Join(' ', Enumerable.Repeat($"Hello, {input.Name}!", input.Times));
        return Task.FromResult(new GreetingOutput(text, text.Length));
    }
}
