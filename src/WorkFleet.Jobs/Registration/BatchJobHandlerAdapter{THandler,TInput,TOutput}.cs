using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.Serialization;

namespace WorkFleet.Jobs.Registration;

/// <summary>
/// Runs a typed <see cref="IBatchJobHandler{TInput, TOutput}"/> behind the untyped <see cref="IBatchJobHandler"/>;
/// single jobs run as in <see cref="JobHandlerAdapter{THandler, TInput, TOutput}"/>.
/// </summary>
internal sealed class BatchJobHandlerAdapter<THandler, TInput, TOutput>(string jobType, IServiceScopeFactory scopeFactory)
    : JobHandlerAdapter<THandler, TInput, TOutput>(jobType, scopeFactory), IBatchJobHandler
    where THandler : class, IBatchJobHandler<TInput, TOutput>
{
    public BatchJobItem Prepare(JsonElement input)
    {
        TInput typedInput = JobInputReader.Read<TInput>(JobType, input);

        using IServiceScope scope = ScopeFactory.CreateScope();
        THandler handler = scope.ServiceProvider.GetRequiredService<THandler>();
        string key = handler.GetBatchKey(typedInput);
        return new BatchJobItem(this, key, typedInput!);
    }

    public async Task<IReadOnlyList<JsonElement>> ExecuteBatchAsync(IReadOnlyList<BatchJobItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one item.", nameof(items));
        }

        var inputs = new TInput[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            BatchJobItem item = items[i];
            if (!ReferenceEquals(item.Owner, this) || item.Input is not TInput input)
            {
                throw new ArgumentException($"items[{i}] was prepared by the '{item.JobType}' handler, not by this '{JobType}' handler.", nameof(items));
            }

            if (!string.Equals(item.BatchKey, items[0].BatchKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"items[{i}] has batch key '{item.BatchKey}' but items[0] has '{items[0].BatchKey}'.", nameof(items));
            }

            inputs[i] = input;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using AsyncServiceScope scope = ScopeFactory.CreateAsyncScope();
        THandler handler = ResolveHandler(scope, progress: null);
        IReadOnlyList<TOutput> outputs = await handler.HandleBatchAsync(inputs, cancellationToken);
        if (outputs.Count != inputs.Length)
        {
            throw new InvalidOperationException(
                $"{ToString()} returned {outputs.Count} results for a batch of {inputs.Length}; a batch handler must return one result per input.");
        }

        return [.. outputs.Select(output => JsonSerializer.SerializeToElement(output, JobJson.Options))];
    }
}
