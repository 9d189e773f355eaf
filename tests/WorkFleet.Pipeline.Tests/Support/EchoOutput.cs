namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>Result of <see cref="EchoJob"/> and <see cref="GatedJob"/>: the text repeated.</summary>
public sealed record EchoOutput(string Echoed);
