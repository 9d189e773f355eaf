namespace WorkFleet.Dashboard.Api;

/// <summary>
/// The field a problem of the dispatcher's <c>SubmitTaskValidator</c> is about: each of its messages starts with the
/// field's name in single quotes (<c>'priority' 12 is outside 0..9</c>), so the HTTP API names the fields without
/// repeating the rules.
/// </summary>
public static class SubmitProblemFields
{
    /// <summary>The quoted field name <paramref name="problem"/> starts with, or null when it starts with none.</summary>
    public static string? FieldOf(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!problem.StartsWith('\''))
        {
            return null;
        }

        var end = problem.IndexOf('\'', 1);
        return end > 1 ? problem[1..end] : null;
    }
}
