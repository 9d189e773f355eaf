using System.Text.Json.Serialization;

namespace WorkFleet.Contracts;

/// <summary>Terminal outcome of a task.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskOutcome>))]
public enum TaskOutcome
{
    /// <summary>The job returned a result.</summary>
    Succeeded,

    /// <summary>The job failed for good (non-retryable, attempts exhausted, invalid or unroutable).</summary>
    Failed,
}
