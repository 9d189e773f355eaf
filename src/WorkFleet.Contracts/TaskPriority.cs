namespace WorkFleet.Contracts;

/// <summary>The bounds of <see cref="SubmitTask.Priority"/>: higher runs first among waiting tasks.</summary>
public static class TaskPriority
{
    /// <summary>The lowest priority, and the default.</summary>
    public const int Min = 0;

    /// <summary>The highest priority.</summary>
    public const int Max = 9;

    /// <summary>True when <paramref name="priority"/> lies within the bounds.</summary>
    public static bool IsValid(int priority) => priority is >= Min and <= Max;
}
