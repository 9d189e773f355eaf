namespace WorkFleet.Balancing;

/// <summary>What a task needs from a worker.</summary>
/// <param name="JobType">The job type the worker must support.</param>
/// <param name="Capabilities">Capabilities the worker must offer, all of them.</param>
public sealed record TaskRequirements(string JobType, IReadOnlyList<string> Capabilities)
{
    /// <summary>True when <paramref name="worker"/> supports the job type and every required capability.</summary>
    public bool IsMetBy(WorkerSnapshot worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (!worker.JobTypes.Contains(JobType))
        {
            return false;
        }

        // Indexed loop: a foreach over the interface would allocate an enumerator on the dispatch hot path.
        for (var i = 0; i < Capabilities.Count; i++)
        {
            if (!worker.Capabilities.Contains(Capabilities[i]))
            {
                return false;
            }
        }

        return true;
    }
}
