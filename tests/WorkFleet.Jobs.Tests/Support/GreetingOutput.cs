namespace WorkFleet.Jobs.Tests.Support;

public sealed record GreetingOutput(string GreetingText, int Length);
