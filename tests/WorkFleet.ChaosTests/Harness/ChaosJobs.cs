using System.Text.Json;
using WorkFleet.Client;
using WorkFleet.Contracts;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>The real jobs the chaos tests submit.</summary>
public static class ChaosJobs
{
    /// <summary>
    /// Task <paramref name="index"/> of a <c>compute.matmul</c> batch: sizes 24..48, a few milliseconds
    /// each, so 1,000 of them keep three workers of capacity 4 busy for several seconds and a fault
    /// lands mid-run while every worker holds tasks.
    /// </summary>
    public static SubmitTask MatMul(WorkFleetClient client, int index)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.CreateTask("compute.matmul", Parse($$"""{"size":{{24 + (index % 4 * 8)}},"seed":{{index}},"repeat":{{Repeat}}}"""));
    }

    /// <summary>A <c>diagnostics.flaky</c> task that fails (retryably) until attempt <paramref name="failUntilAttempt"/>.</summary>
    public static SubmitTask Flaky(WorkFleetClient client, int failUntilAttempt)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.CreateTask("diagnostics.flaky", Parse($$"""{"failUntilAttempt":{{failUntilAttempt}}}"""));
    }

    /// <summary>Parses a JSON literal into a detached element.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>How many times each product is computed (tunes the cost of a task).</summary>
    public const int Repeat = 4;
}
