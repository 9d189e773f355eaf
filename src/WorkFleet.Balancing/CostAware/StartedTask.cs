namespace WorkFleet.Balancing.CostAware;

/// <summary>A task a <see cref="CostAwareScheduler{T}"/> pass started.</summary>
/// <typeparam name="T">The caller's handle for the task.</typeparam>
/// <param name="Item">The caller's handle.</param>
/// <param name="Worker">The worker it starts on (a <see cref="SlotForecast"/> number).</param>
/// <param name="ExpectedEndMs">When it is expected to end (+∞ without an estimate); pass it to <see cref="SlotForecast.Finish"/>.</param>
public readonly record struct StartedTask<T>(T Item, int Worker, double ExpectedEndMs);
