namespace WorkFleet.Dashboard.Api;

/// <summary>
/// The problems of one request, by field (<c>jobType</c>, <c>[3].payload</c>, <c>$</c> for the body as a whole), as the
/// <c>errors</c> member of an RFC 7807 validation problem; and whether one of them is a size over a limit (413).
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>True when a problem is a size over a limit: the answer is 413, not 400.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>True when a problem was added for <paramref name="field"/>.</summary>
    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds a size problem for <paramref name="field"/> (the answer becomes 413).</summary>
    public void AddTooLarge(string field, string message)
    {
        Add(field, message);
        TooLarge = true;
    }

    /// <summary>The problems as the <c>errors</c> member of a validation problem.</summary>
    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
