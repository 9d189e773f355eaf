namespace WorkFleet.Jobs.BuiltIn.Diagnostics;

/// <summary>
/// The diagnostic job types (<c>diagnostics.*</c>): tools for operators and tests (a flaky job, a sleep), not work.
/// A worker registers, advertises and runs them only when <c>WorkFleet:Worker:EnableDiagnosticJobs</c> is true.
/// </summary>
public static class DiagnosticJobTypes
{
    /// <summary>The prefix every diagnostic job type starts with.</summary>
    public const string Prefix = "diagnostics.";

    /// <summary>Whether <paramref name="jobType"/> is a diagnostic job type (ordinal prefix match).</summary>
    public static bool IsDiagnostic(string jobType) =>
        jobType is not null && jobType.StartsWith(Prefix, StringComparison.Ordinal);
}
