using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The dispatcher's learned expected cost per job type (a thread-safe <see cref="JobCostEstimator"/>): fed with the
/// run time × worker weight of every attempt that succeeded here and the size of its payload (characters of its JSON),
/// warmed up at start from the store's recent attempts, read for tasks submitted without a cost hint (where the job
/// type's cost follows payload size, a task's own size counts) and shown in <c>/api/status</c>.
/// </summary>
public sealed class JobCostEstimates
{
    private readonly Lock _gate = new();
    private readonly JobCostEstimator _estimator = new();

    /// <summary>
    /// Records a successful attempt of <paramref name="jobType"/> that ran <paramref name="duration"/> on a worker of
    /// <paramref name="weight"/>, of a task whose payload had <paramref name="payloadSize"/> characters when known.
    /// </summary>
    public void Observe(string jobType, TimeSpan duration, double weight, int? payloadSize = null)
    {
        lock (_gate)
        {
            _estimator.Observe(jobType, duration.TotalMilliseconds, weight, payloadSize);
        }
    }

    /// <summary>
    /// The expected cost in ms at weight 1 of a task of a job type, with a payload of <paramref name="payloadSize"/>
    /// characters when known; null while too few attempts were seen.
    /// </summary>
    public double? ExpectedCostMs(string jobType, int? payloadSize = null)
    {
        lock (_gate)
        {
            return _estimator.ExpectedCostMs(jobType, payloadSize);
        }
    }

    /// <summary>Every job type seen, by name, with its estimate (null while too few attempts were seen) and observation count.</summary>
    public IReadOnlyList<JobCostEstimate> Snapshot()
    {
        lock (_gate)
        {
            return [.. _estimator.JobTypes.Order(StringComparer.Ordinal)
                .Select(t => new JobCostEstimate(t, _estimator.ExpectedCostMs(t), _estimator.Observations(t), _estimator.CostPerSizeUnit(t)))];
        }
    }
}
