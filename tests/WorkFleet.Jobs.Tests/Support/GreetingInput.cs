namespace WorkFleet.Jobs.Tests.Support;

public sealed record GreetingInput : IValidatableJobInput
{
    public required string Name { get; init; }

    public int Times { get; init; } = 1;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "'name' must not be empty";
        }

        if (Times is < 1 or > 3)
        {
            yield return $"'times' must be between 1 and 3 but is {Times}";
        }
    }
}
