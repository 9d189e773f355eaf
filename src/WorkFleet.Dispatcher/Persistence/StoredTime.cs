namespace WorkFleet.Dispatcher.Persistence;

/// <summary>
/// Times read back from the store, which keeps every time in UTC: Npgsql returns <c>timestamptz</c> as a UTC
/// <see cref="DateTime"/>, SQLite returns its text with an unspecified kind. Both mean UTC.
/// </summary>
internal static class StoredTime
{
    /// <summary>The stored time <paramref name="stored"/> as a UTC <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset AsUtc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
