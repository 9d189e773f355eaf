using System.Text.Json;

namespace WorkFleet.Jobs;

/// <summary>
/// A job handler that can run several tasks of its type as one batch, as the worker sees it. The worker
/// calls <see cref="Prepare"/> for each task as it arrives (a bad input fails that task alone), gathers
/// prepared items with equal <see cref="BatchJobItem.BatchKey"/>, then runs them with
/// <see cref="ExecuteBatchAsync"/> and answers each task with its own result.
/// </summary>
public interface IBatchJobHandler : IJobHandler
{
    /// <summary>Deserializes and validates one task's input and computes its batch key.</summary>
    /// <param name="input">The task's input as submitted.</param>
    /// <returns>The prepared item, to pass to <see cref="ExecuteBatchAsync"/>.</returns>
    /// <exception cref="JobInputException">The input is invalid; the task should fail without running.</exception>
    BatchJobItem Prepare(JsonElement input);

    /// <summary>Runs prepared items as one batch.</summary>
    /// <param name="items">Items from this handler's <see cref="Prepare"/>, all with the same batch key.</param>
    /// <param name="cancellationToken">Cancelled when the batch must stop.</param>
    /// <returns>One result per item, in the same order.</returns>
    /// <exception cref="ArgumentException">The items are empty, come from another handler, or have different batch keys.</exception>
    Task<IReadOnlyList<JsonElement>> ExecuteBatchAsync(IReadOnlyList<BatchJobItem> items, CancellationToken cancellationToken);
}
