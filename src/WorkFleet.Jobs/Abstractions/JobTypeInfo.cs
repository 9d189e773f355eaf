using System.Text.Json;

namespace WorkFleet.Jobs;

/// <summary>
/// What a job type is, accepts and needs, from <see cref="JobHandlerRegistry.Describe"/>; the CLI's
/// <c>workfleet jobs</c> lists these.
/// </summary>
public sealed record JobTypeInfo
{
    /// <summary>The job type, e.g. <c>preprocess.tokenize</c>.</summary>
    public required string JobType { get; init; }

    /// <summary>One sentence on what the job does, from <see cref="System.ComponentModel.DescriptionAttribute"/> on the handler.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// A JSON Schema (draft 2020-12 vocabulary) of the input, generated from the input type: property
    /// names, types, which are required, and each property's description and default. <c>null</c> for
    /// handlers registered untyped.
    /// </summary>
    public JsonElement? InputSchema { get; init; }

    /// <summary>What a worker needs to run the job type.</summary>
    public JobRequirements Requirements { get; init; } = JobRequirements.None;

    /// <summary>Whether the handler is an <see cref="IBatchJobHandler"/>, so several tasks can run as one batch.</summary>
    public bool SupportsBatching { get; init; }
}
