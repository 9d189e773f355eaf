using System.Diagnostics.CodeAnalysis;

namespace WorkFleet.Jobs;

/// <summary>
/// The job handlers a worker can run, by job type (ordinal, case-sensitive). Registered as a
/// singleton by <c>AddJobHandler</c> / <c>AddBuiltInJobs</c>; it holds the handlers from those calls
/// and any <see cref="IJobHandler"/> registered directly as a service.
/// </summary>
public sealed class JobHandlerRegistry
{
    private readonly Dictionary<string, IJobHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>Creates a registry over the given handlers.</summary>
    /// <param name="handlers">The handlers, one per job type.</param>
    /// <exception cref="InvalidOperationException">Two handlers share a job type, or a job type is empty.</exception>
    public JobHandlerRegistry(IEnumerable<IJobHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (IJobHandler handler in handlers)
        {
            if (string.IsNullOrWhiteSpace(handler.JobType))
            {
                throw new InvalidOperationException($"The job handler {handler} has an empty job type.");
            }

            if (!_handlers.TryAdd(handler.JobType, handler))
            {
                throw new InvalidOperationException(
                    $"Job type '{handler.JobType}' has more than one handler ({_handlers[handler.JobType]} and {handler}); " +
                    "register exactly one handler per job type.");
            }
        }

        JobTypes = [.. _handlers.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The registered job types, sorted ordinally.</summary>
    public IReadOnlyCollection<string> JobTypes { get; }

    /// <summary>Describes every registered job type: description, input schema, requirements, batching.</summary>
    /// <returns>One entry per job type, sorted ordinally by job type.</returns>
    public IReadOnlyList<JobTypeInfo> Describe() => [.. JobTypes.Select(jobType => _handlers[jobType].Info)];

    /// <summary>Finds the handler for a job type.</summary>
    /// <param name="jobType">The job type, matched exactly.</param>
    /// <param name="handler">The handler when found.</param>
    /// <returns><c>true</c> when a handler is registered for <paramref name="jobType"/>.</returns>
    public bool TryGet(string jobType, [NotNullWhen(true)] out IJobHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        return _handlers.TryGetValue(jobType, out handler);
    }
}
