using System.Text.Json;

namespace WorkFleet.Dashboard.Api;

/// <summary>The 200 answer of <c>POST /api/predict/{jobType}</c>: the job's result.</summary>
/// <param name="TaskId">The task that ran it.</param>
/// <param name="Result">The job's output.</param>
/// <param name="Attempt">The attempt that produced it.</param>
/// <param name="WorkerId">The worker that ran it.</param>
public sealed record Prediction(Guid TaskId, JsonElement? Result, int Attempt, string? WorkerId);
