namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>Result of <see cref="FlakyJob"/>: which call of the task succeeded.</summary>
public sealed record FlakyOutput(int Call);
