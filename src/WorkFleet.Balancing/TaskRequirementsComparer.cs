namespace WorkFleet.Balancing;

/// <summary>
/// Equal when the job type and the capability list (in order) are equal, ordinal. Lets
/// <see cref="FleetView"/> recognise a requirement it has seen before without allocating.
/// </summary>
public sealed class TaskRequirementsComparer : IEqualityComparer<TaskRequirements>
{
    /// <summary>The one instance.</summary>
    public static TaskRequirementsComparer Instance { get; } = new();

    /// <inheritdoc />
    public bool Equals(TaskRequirements? x, TaskRequirements? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null
            || !string.Equals(x.JobType, y.JobType, StringComparison.Ordinal)
            || x.Capabilities.Count != y.Capabilities.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Capabilities.Count; i++)
        {
            if (!string.Equals(x.Capabilities[i], y.Capabilities[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public int GetHashCode(TaskRequirements obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = StringComparer.Ordinal.GetHashCode(obj.JobType);
        for (var i = 0; i < obj.Capabilities.Count; i++)
        {
            hash = HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(obj.Capabilities[i]));
        }

        return hash;
    }
}
