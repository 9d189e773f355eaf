using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.Serialization;

namespace WorkFleet.Jobs.Registration;

/// <summary>
/// Runs a typed <see cref="IJobHandler{TInput, TOutput}"/> behind the untyped <see cref="IJobHandler"/>:
/// JSON to <typeparamref name="TInput"/>, validation, the handler, <typeparamref name="TOutput"/> to JSON.
/// </summary>
/// <remarks>
/// The handler is resolved from a fresh scope per job, so handlers may depend on scoped services
/// (a DbContext) whatever lifetime they are registered with.
/// </remarks>
internal sealed class JobHandlerAdapter<THandler, TInput, TOutput>(string jobType, IServiceScopeFactory scopeFactory)
    : IJobHandler
    where THandler : class, IJobHandler<TInput, TOutput>
{
    private const int MaxReportedErrors = 10;

    public string JobType { get; } = jobType;

    public async Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TInput typedInput = Deserialize(input);
        Validate(typedInput);

        await using AsyncServiceScope scope = scopeFactory.CreateAsyncScope();
        THandler handler = scope.ServiceProvider.GetRequiredService<THandler>();
        TOutput output = await handler.HandleAsync(typedInput, cancellationToken);
        return JsonSerializer.SerializeToElement(output, JobJson.Options);
    }

    /// <summary>Names the handler type, e.g. in the registry's duplicate-registration error.</summary>
    public override string ToString() => typeof(THandler).FullName ?? typeof(THandler).Name;

    private TInput Deserialize(JsonElement input)
    {
        if (input.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new JobInputException($"{JobType}: input is required but was null");
        }

        TInput? typedInput;
        try
        {
            typedInput = input.Deserialize<TInput>(JobJson.Options);
        }
        catch (JsonException exception)
        {
            throw new JobInputException($"{JobType}: {JobJson.DescribeError(exception)}", exception);
        }

        return typedInput ?? throw new JobInputException($"{JobType}: input is required but was null");
    }

    private void Validate(TInput input)
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
        throw new JobInputException($"{JobType}: {listed}{more}");
    }
}
