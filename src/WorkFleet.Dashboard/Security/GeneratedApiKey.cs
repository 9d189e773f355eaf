namespace WorkFleet.Dashboard.Security;

/// <summary>The admin key generated at start when none is configured (registered only then); the embedded demo prints it.</summary>
/// <param name="Value">The key.</param>
public sealed record GeneratedApiKey(string Value);
