namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>Input of <see cref="FlakyJob"/>: how many calls fail before one succeeds.</summary>
public sealed record FlakyInput(int Failures);
