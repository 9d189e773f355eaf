namespace WorkFleet.Worker.Tests.Support;

/// <summary>Awaits what the code under test does on other threads, failing instead of hanging.</summary>
internal static class Deadline
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Limit);

    public static Task Within(Task task) => task.WaitAsync(Limit);
}
