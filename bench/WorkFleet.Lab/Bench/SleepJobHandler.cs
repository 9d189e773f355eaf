using System.Diagnostics;
using System.Text.Json;
using WorkFleet.Jobs;

namespace WorkFleet.Lab.Bench;

/// <summary>
/// <c>bench.sleep</c>, the workload of <c>workfleet-lab bench-strategies</c> and nothing else (only the bench's own
/// workers register it): input <c>{"costMs": x}</c>, waits x / speed ms where speed is the weight of the worker
/// that runs it, output <c>{"sleptMs": …}</c>. Waiting uses no CPU, so a worker runs its tasks side by side at
/// full speed, exactly as the simulator models it. The worker's weight is not in <see cref="JobExecutionContext"/>,
/// so the bench hands the handler its map of worker id to speed.
/// </summary>
public sealed class SleepJobHandler(IReadOnlyDictionary<string, double> speeds) : IJobHandler
{
    /// <summary>The job type.</summary>
    public const string Type = "bench.sleep";

    /// <inheritdoc />
    public string JobType => Type;

    /// <summary>The payload of a task that costs <paramref name="costMs"/> on a worker of speed 1.</summary>
    public static JsonElement Payload(double costMs) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, double> { ["costMs"] = costMs });

    /// <inheritdoc />
    public async Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken)
    {
        if (input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("costMs", out var cost)
            || !cost.TryGetDouble(out var costMs)
            || !double.IsFinite(costMs)
            || costMs < 0)
        {
            throw new JobInputException($"{Type}: 'costMs' must be a number of milliseconds, at least 0.");
        }

        var workerId = JobExecutionContext.Current?.WorkerId
            ?? throw new InvalidOperationException($"{Type} needs a JobExecutionContext (run it through a worker).");
        if (!speeds.TryGetValue(workerId, out var speed))
        {
            throw new InvalidOperationException($"{Type}: worker '{workerId}' is not one of the bench's workers.");
        }

        // A task must never end before its cost / speed. Task.Delay counts on a millisecond tick and may end up to
        // about a millisecond early by the high-resolution clock (seen: a 12 ms delay within 11.86 ms of its submit),
        // so it waits again, rounded up, until the stopwatch has passed the target.
        var target = TimeSpan.FromMilliseconds(costMs / speed);
        var started = Stopwatch.GetTimestamp();
        for (var left = target; left > TimeSpan.Zero; left = target - Stopwatch.GetElapsedTime(started))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), cancellationToken);
        }

        var sleptMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
        return JsonSerializer.SerializeToElement(new Dictionary<string, double> { ["sleptMs"] = sleptMs });
    }
}
