using System.Text.Json;
using WorkFleet.Jobs.Serialization;

namespace WorkFleet.Jobs.Registration;

/// <summary>Turns a task's JSON input into the handler's typed input: deserialization, then validation.</summary>
internal static class JobInputReader
{
    private const int MaxReportedErrors = 10;

    /// <summary>Reads <paramref name="input"/> as <typeparamref name="TInput"/>.</summary>
    /// <exception cref="JobInputException">The JSON does not fit the type, or the value fails its own validation.</exception>
    public static TInput Read<TInput>(string jobType, JsonElement input)
    {
        TInput typedInput = Deserialize<TInput>(jobType, input);
        Validate(jobType, typedInput);
        return typedInput;
    }

    private static TInput Deserialize<TInput>(string jobType, JsonElement input)
    {
        if (input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new JobInputException($"{jobType}: input is required but was null");
        }

        TInput? typedInput;
        try
        {
            typedInput = input.Deserialize<TInput>(JobJson.Options);
        }
        catch (JsonException exception)
        {
            throw new JobInputException($"{jobType}: {JobJson.DescribeError(exception)}", exception);
        }

        return typedInput ?? throw new JobInputException($"{jobType}: input is required but was null");
    }

    private static void Validate<TInput>(string jobType, TInput input)
    {
        if (input is not IValidatableJobInput validatable)
        {
            return;
        }

        // One extra error is taken only to know whether the list was cut.
        List<string> errors = validatable.Validate().Take(MaxReportedErrors + 1).ToList();
        if (errors.Count == 0)
        {
            return;
        }

        string listed = string.Join("; ", errors.Take(MaxReportedErrors));
        string more = errors.Count > MaxReportedErrors ? "; ..." : string.Empty;
        throw new JobInputException($"{jobType}: {listed}{more}");
    }
}
