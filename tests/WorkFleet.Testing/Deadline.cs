namespace WorkFleet.Testing;

/// <summary>Awaits what the code under test does on other threads, failing instead of hanging.</summary>
public static class Deadline
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary><paramref name="task"/>'s result, or a <see cref="TimeoutException"/> after 10 s.</summary>
    public static Task<T> Within<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(Limit);
    }

    /// <summary>Completes with <paramref name="task"/>, or throws a <see cref="TimeoutException"/> after 10 s.</summary>
    public static Task Within(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(Limit);
    }
}
