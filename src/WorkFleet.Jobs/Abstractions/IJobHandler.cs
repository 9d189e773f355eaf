using System.Text.Json;

namespace WorkFleet.Jobs;

/// <summary>
/// A job handler as the worker sees it: JSON in, JSON out, for one job type. Users implement the
/// typed <see cref="IJobHandler{TInput, TOutput}"/> instead and register it with
/// <c>services.AddJobHandler&lt;THandler&gt;(jobType)</c>, which adapts it to this interface.
/// </summary>
public interface IJobHandler
{
    /// <summary>The job type this handler runs, e.g. <c>preprocess.tokenize</c>.</summary>
    string JobType { get; }

    /// <summary>What the job type accepts and needs; by default only its name.</summary>
    JobTypeInfo Info => new() { JobType = JobType };

    /// <summary>Runs one job.</summary>
    /// <param name="input">The job's input as submitted.</param>
    /// <param name="cancellationToken">Cancelled when the job times out, is cancelled, or the worker stops.</param>
    /// <returns>The job's result.</returns>
    /// <exception cref="JobInputException">The input is invalid; retrying cannot help.</exception>
    /// <exception cref="TransientJobException">A temporary failure; the job may be retried.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken);

    /// <summary>Runs one job, passing the handler's progress reports to <paramref name="progress"/>.</summary>
    /// <param name="input">The job's input as submitted.</param>
    /// <param name="progress">Receives progress reports, on the handler's thread; <c>null</c> to ignore them.</param>
    /// <param name="cancellationToken">Cancelled when the job times out, is cancelled, or the worker stops.</param>
    /// <returns>The job's result.</returns>
    /// <remarks>Handlers that do not report progress need not implement this: it runs <see cref="ExecuteAsync(JsonElement, CancellationToken)"/>.</remarks>
    Task<JsonElement> ExecuteAsync(JsonElement input, IProgress<JobProgress>? progress, CancellationToken cancellationToken) =>
        ExecuteAsync(input, cancellationToken);
}
