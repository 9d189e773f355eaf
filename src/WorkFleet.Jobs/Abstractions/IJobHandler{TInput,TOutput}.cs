namespace WorkFleet.Jobs;

/// <summary>
/// The typed handler SDK: implement this for your own job and register it with
/// <c>services.AddJobHandler&lt;THandler, TInput, TOutput&gt;(jobType)</c>. The registration
/// deserializes the JSON input into <typeparamref name="TInput"/> (camelCase, case-insensitive,
/// unknown members ignored), validates it when it implements <see cref="IValidatableJobInput"/>, and
/// serializes <typeparamref name="TOutput"/> back to camelCase JSON.
/// </summary>
/// <typeparam name="TInput">The job's input.</typeparam>
/// <typeparam name="TOutput">The job's result.</typeparam>
public interface IJobHandler<in TInput, TOutput>
{
    /// <summary>Runs one job.</summary>
    /// <param name="input">The deserialized, validated input.</param>
    /// <param name="cancellationToken">Cancelled when the job times out, is cancelled, or the worker stops.</param>
    /// <returns>The job's result.</returns>
    Task<TOutput> HandleAsync(TInput input, CancellationToken cancellationToken);
}
