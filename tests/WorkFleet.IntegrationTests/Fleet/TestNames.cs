namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>Unique, valid vhost/database names per test.</summary>
public static class TestNames
{
    /// <summary>e.g. <c>wf_endtoend_1a2b3c4d</c>.</summary>
    public static string Unique(string prefix) => $"wf_{prefix}_{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
}
