using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>Input of the test jobs <see cref="EchoJob"/> and <see cref="GatedJob"/>: <c>{"text":"ab","times":2}</c>.</summary>
public sealed record EchoInput(string? Text, int Times) : IValidatableJobInput
{
    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Text is null)
        {
            yield return "'text' is required";
        }

        if (Times is < 1 or > 10)
        {
            yield return $"'times' must be within 1..10 but is {Times}";
        }
    }
}
