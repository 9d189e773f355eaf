namespace WorkFleet.Jobs;

/// <summary>
/// A typed handler that can also run several jobs as one batch (e.g. one matrix product for the rows of
/// many inference tasks). Register it with <c>AddJobHandler</c> like any handler: the registration then
/// exposes it to the worker as an <see cref="IBatchJobHandler"/>. <see cref="IJobHandler{TInput, TOutput}.HandleAsync"/>
/// still runs single jobs, e.g. when the worker's batching is off.
/// </summary>
/// <typeparam name="TInput">The job's input.</typeparam>
/// <typeparam name="TOutput">The job's result.</typeparam>
public interface IBatchJobHandler<TInput, TOutput> : IJobHandler<TInput, TOutput>
{
    /// <summary>
    /// The key of the batches this input may join: only inputs with equal keys run together (e.g. the
    /// model name). Called once per job, before batching; it is also where handler-level checks belong
    /// (an unknown model, rows of the wrong width), so one bad job fails alone instead of failing its batch.
    /// </summary>
    /// <param name="input">The deserialized, validated input.</param>
    /// <returns>The batch key; compared ordinally.</returns>
    /// <exception cref="JobInputException">The input cannot run with this handler.</exception>
    string GetBatchKey(TInput input);

    /// <summary>Runs several jobs whose inputs share one batch key.</summary>
    /// <param name="inputs">The inputs, each already passed <see cref="GetBatchKey"/>.</param>
    /// <param name="cancellationToken">Cancelled when the batch must stop.</param>
    /// <returns>One result per input, in the same order.</returns>
    Task<IReadOnlyList<TOutput>> HandleBatchAsync(IReadOnlyList<TInput> inputs, CancellationToken cancellationToken);
}
